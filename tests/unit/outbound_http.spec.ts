import { test } from '@japa/runner'
import { isRefusedAddress, literalUrlProblem } from '#services/platform/outbound_http'

test.group('Outbound HTTP: address classification', () => {
  test('internal IPv4, IPv6 and IPv4-mapped IPv6 addresses are refused', ({ assert }) => {
    for (const address of [
      '0.0.0.0',
      '127.0.0.1',
      '127.255.255.254',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.100.100.200',
      '192.0.0.192',
      '224.0.0.251',
      '239.255.255.250',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '0:0:0:0:0:ffff:10.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::',
      'fd00:ec2::254',
      'fc00::1',
      'fe80::1',
      'fe80::1%eth0',
      'ff02::1',
      'not-an-ip',
    ]) {
      assert.isTrue(isRefusedAddress(address), address)
    }
  })

  test('public addresses pass', ({ assert }) => {
    for (const address of [
      '1.1.1.1',
      '8.8.8.8',
      '140.82.112.3',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700:4700::1111',
      '2a00:1450:4001:80b::200e',
      '::ffff:8.8.8.8',
    ]) {
      assert.isFalse(isRefusedAddress(address), address)
    }
  })

  test('create/update refuse literal internal hosts in any spelling, not public names', ({
    assert,
  }) => {
    for (const url of [
      'http://127.1/',
      'http://0x7f.0.0.1/',
      'http://017700000001/',
      'http://2130706433/',
      'http://[0:0:0:0:0:ffff:127.0.0.1]/',
      'http://LOCALHOST./',
      'http://api.localhost/',
    ]) {
      assert.equal(literalUrlProblem(url), 'The URL points at an internal address.', url)
    }
    assert.isNotNull(literalUrlProblem('http://user:pass@boards.example/'))
    assert.isNotNull(literalUrlProblem('ftp://boards.example/'))
    assert.isNull(literalUrlProblem('https://boards-api.greenhouse.io'))
    assert.isNull(literalUrlProblem('http://8.8.8.8:8080/feed'))
  })
})
