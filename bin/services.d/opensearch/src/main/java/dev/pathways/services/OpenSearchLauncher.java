package dev.pathways.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Starts one OpenSearch node for local development and tests, and blocks until the JVM is
 * told to stop (SIGTERM/SIGINT), then closes the node cleanly.
 *
 * <p>Usage: {@code OpenSearchLauncher <basePath> [httpPort] [transportPort]}. The node binds to
 * 127.0.0.1 only, keeps its data and logs under {@code basePath}, runs as a single-node cluster
 * and has no security plugin (the runner does not bundle one).
 */
public final class OpenSearchLauncher {

    private OpenSearchLauncher() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: OpenSearchLauncher <basePath> [httpPort] [transportPort]");
            System.exit(2);
        }
        final Path base = Paths.get(args[0]).toAbsolutePath();
        final int httpPort = args.length > 1 ? Integer.parseInt(args[1]) : 9200;
        final int transportPort = args.length > 2 ? Integer.parseInt(args[2]) : 9300;
        Files.createDirectories(base);

        final OpenSearchRunner runner = new OpenSearchRunner();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                System.err.println("error while stopping OpenSearch: " + e);
            } finally {
                stopped.countDown();
            }
        }, "pathways-opensearch-shutdown"));

        runner.onBuild((number, settings) -> {
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", httpPort);
            settings.put("transport.port", transportPort);
            settings.put("discovery.type", "single-node");
            // dev machines often have fuller disks than a server; never go read-only for that
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("path.data", base.resolve("data").toString());
            settings.put("path.logs", base.resolve("logs").toString());
        });
        runner.build(OpenSearchRunner.newConfigs()
                .basePath(base.toString())
                .numOfNode(1)
                .clusterName("pathways")
                .printOnFailure());
        System.out.println("OpenSearch listening on http://127.0.0.1:" + httpPort);

        // Block until a shutdown hook has closed the node.
        stopped.await();
    }
}
