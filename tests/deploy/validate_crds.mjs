// Validates custom resources rendered by the chart against their CRD schemas, compiled into the
// @kubernetes-models/* packages. Usage: node validate_crds.mjs <node_modules dir> <objects.json>
// (objects.json is written by `deploycheck.py k8s-validate --crd-out`).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [modulesDir, objectsFile] = process.argv.slice(2)
const MODELS = {
  'external-secrets.io/v1/ExternalSecret': [
    '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret.js',
    'ExternalSecret',
  ],
  'keda.sh/v1alpha1/ScaledObject': ['@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject.js', 'ScaledObject'],
  'keda.sh/v1alpha1/TriggerAuthentication': [
    '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication.js',
    'TriggerAuthentication',
  ],
  'monitoring.coreos.com/v1/ServiceMonitor': [
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor.js',
    'ServiceMonitor',
  ],
}

const objects = JSON.parse(await readFile(objectsFile, 'utf8'))
const problems = []
for (const object of objects) {
  const id = `${object.kind}/${object.metadata?.name}`
  const model = MODELS[`${object.apiVersion}/${object.kind}`]
  if (!model) {
    problems.push(`${id}: no schema for ${object.apiVersion} ${object.kind}`)
    continue
  }
  const module = await import(pathToFileURL(join(modulesDir, model[0])).href)
  const Model = module[model[1]]
  try {
    new Model(object).validate()
  } catch (error) {
    const details = (error.errors ?? [])
      .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params ?? {})}`)
      .join('; ')
    problems.push(`${id}: ${details || error.message}`)
  }
}
if (problems.length > 0) {
  for (const p of problems) console.log(`  - ${p}`)
  process.exit(1)
}
console.log(`${objects.length} custom resources valid against their CRD schemas`)
