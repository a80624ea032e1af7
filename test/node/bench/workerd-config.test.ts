import { describe, expect, it } from 'vitest';
import { capnpString, workerdConfig, type WorkerdConfigOptions } from '../../../bench/workerd-config.ts';

const base: WorkerdConfigOptions = {
  bundleDir: '/dev/shm/bench-x/build',
  configDir: '/dev/shm/bench-x',
  modules: [
    { name: 'index.js', type: 'esModule' },
    { name: 'abc123-site.css', type: 'text' },
  ],
  compatibilityDate: '2026-04-20',
  compatibilityFlags: ['nodejs_compat'],
  address: '127.0.0.1:8787',
  vars: { ISSUER: 'http://127.0.0.1:8787', LOG_LEVEL: 'warn' },
  secrets: ['ADMIN_TOKEN'],
  durableObjects: [
    { binding: 'KEYS', className: 'KeysObject', sql: true },
    { binding: 'SESSIONS', className: 'SessionObject', sql: true },
  ],
  durableObjectDir: '/dev/shm/bench-x/durable-objects',
  outboundAllow: ['public', 'private', 'local'],
};

describe('capnpString', () => {
  it('escapes quotes, backslashes and control characters as Cap’n Proto text literals', () => {
    expect(capnpString('plain')).toBe('"plain"');
    expect(capnpString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(capnpString('line\nnext\u0000')).toBe('"line\\x0anext\\x00"');
  });
});

describe('workerdConfig', () => {
  const text = workerdConfig(base);

  it('embeds the main module first as an ES module and the rest by their type, by paths relative to the config', () => {
    expect(text).toContain('(name = "index.js", esModule = embed "build/index.js")');
    expect(text).toContain('(name = "abc123-site.css", text = embed "build/abc123-site.css")');
    expect(text.indexOf('"index.js"')).toBeLessThan(text.indexOf('"abc123-site.css"'));
    const elsewhere = workerdConfig({ ...base, configDir: '/tmp/cfg' });
    expect(elsewhere).toContain('esModule = embed "../../dev/shm/bench-x/build/index.js"');
  });

  it('carries the compatibility date and flags', () => {
    expect(text).toContain('compatibilityDate = "2026-04-20"');
    expect(text).toMatch(/compatibilityFlags = \[\n\s+"nodejs_compat",\n\s+\]/);
  });

  it('binds vars as text and secrets from the environment, so no secret value is written', () => {
    expect(text).toContain('(name = "ISSUER", text = "http://127.0.0.1:8787")');
    expect(text).toContain('(name = "ADMIN_TOKEN", fromEnvironment = "ADMIN_TOKEN")');
  });

  it('declares each Durable Object namespace with SQL on, bound by name, stored on a writable local directory', () => {
    expect(text).toContain('(name = "KEYS", durableObjectNamespace = "KeysObject")');
    expect(text).toContain('(className = "KeysObject", uniqueKey = "bench-KeysObject", enableSql = true)');
    expect(text).toContain('(className = "SessionObject", uniqueKey = "bench-SessionObject", enableSql = true)');
    expect(text).toContain('durableObjectStorage = (localDisk = "durable-objects")');
    expect(text).toContain('(name = "durable-objects", disk = (path = "/dev/shm/bench-x/durable-objects", writable = true))');
  });

  it('routes global fetch through a network that allows loopback, and listens on the given address', () => {
    expect(text).toContain('globalOutbound = "outbound"');
    expect(text).toMatch(/\(name = "outbound", network = \(allow = \[\n\s+"public",\n\s+"private",\n\s+"local",\n\s+\]\)\)/);
    expect(text).toContain('sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")]');
  });

  it('leaves Durable Objects out of a Worker without any, and allows only public addresses unless told', () => {
    const hello = workerdConfig({ ...base, modules: [{ name: 'hello-world.js', type: 'esModule' }], vars: {}, secrets: [], durableObjects: [], outboundAllow: undefined });
    expect(hello).not.toContain('durableObject');
    expect(hello).toContain('bindings = []');
    expect(hello).toMatch(/allow = \[\n\s+"public",\n\s+\]/);
  });

  it('refuses what workerd could not serve or would serve wrongly', () => {
    expect(() => workerdConfig({ ...base, modules: [] })).toThrow(/main module/);
    expect(() => workerdConfig({ ...base, modules: [{ name: 'a.css', type: 'text' }] })).toThrow(/must be an ES module/);
    expect(() => workerdConfig({ ...base, durableObjectDir: undefined })).toThrow(/storage directory/);
    expect(() => workerdConfig({ ...base, modules: [...base.modules, { name: '../escape.js', type: 'esModule' }] })).toThrow(/inside the bundle/);
    expect(() => workerdConfig({ ...base, vars: { 'BAD NAME': 'x' } })).toThrow(/not a binding/);
    expect(() => workerdConfig({ ...base, secrets: ['ISSUER'] })).toThrow(/ISSUER is defined twice/);
  });

  it('escapes a value that holds a quote, so it cannot end the literal early', () => {
    expect(workerdConfig({ ...base, vars: { NOTE: 'say "hi"\n' } })).toContain('(name = "NOTE", text = "say \\"hi\\"\\x0a")');
  });
});
