import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { readablePayload } from '../../src/delivery/readable-payload.ts';

describe('readablePayload', () => {
  it('decodes percent-encoded data URLs byte by byte, and base64 ones', () => {
    const files = [
      { path: '/etc/a', contents: { source: 'data:,caf%C3%A9%0Aline%202%0A' } },
      { path: '/etc/b', contents: { source: `data:;base64,${Buffer.from('x=1\n').toString('base64')}` } },
    ];
    const out = readablePayload('nodes/n/config.ign', new Uint8Array(Buffer.from(JSON.stringify({ ignition: { version: '3.3.0' }, storage: { files } }))));
    const shown = (out as { text: string }).text;
    expect(shown).toContain('==> /etc/a (contents)\ncafé\nline 2\n');
    expect(shown).toContain('==> /etc/b (contents)\nx=1\n');
  });

  it('shows Ignition file and unit contents as text, with the kubeconfig masked', () => {
    const config = {
      ignition: { version: '3.3.0' },
      storage: {
        files: [
          { path: '/etc/a.conf', contents: { source: 'data:,hello%20world%0A' } },
          { path: '/etc/kubernetes/flanneld.kubeconfig', contents: { compression: 'gzip', source: `data:;base64,${gzipSync('token: s3cret\n').toString('base64')}` } },
          { path: '/opt/bin/flanneld', contents: { source: 'https://example.com/flanneld' } },
        ],
      },
      systemd: { units: [{ name: 'a.service', contents: '[Service]\nExecStart=/bin/true\n', dropins: [{ name: '10-x.conf', contents: '[Service]\nNice=5\n' }] }] },
    };
    const out = readablePayload('nodes/n/config.ign', new Uint8Array(Buffer.from(JSON.stringify(config))));
    expect('text' in out).toBe(true);
    const shown = (out as { text: string }).text;
    expect(shown).toContain('==> /etc/a.conf (contents)\nhello world\n');
    expect(shown).toContain('==> /etc/kubernetes/flanneld.kubeconfig (contents, gzip)\n<secret>\n');
    expect(shown).toContain('"source": "https://example.com/flanneld"');
    expect(shown).toContain('==> unit a.service\n[Service]\nExecStart=/bin/true\n');
    expect(shown).toContain('==> unit a.service drop-in 10-x.conf\n[Service]\nNice=5\n');
    expect(shown).not.toContain('s3cret');
  });

  it('masks the kubeconfig inline in a Butane config', () => {
    const butane = 'variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n    - path: /etc/kubernetes/flanneld.kubeconfig\n      contents:\n        inline: |\n          users:\n            - user:\n                client-key-data: S0VZ\n';
    const out = readablePayload('nodes/n/config.bu', new Uint8Array(Buffer.from(butane))) as { text: string };
    expect(out.text).toContain('inline: <secret>');
    expect(out.text).not.toContain('S0VZ');
  });

  it('treats bytes that are not UTF-8 text as binary, even inside gzip', () => {
    expect(readablePayload('nodes/n/seed.iso', new Uint8Array([0x43, 0x44, 0, 0x30]))).toEqual({ binary: true });
    expect(readablePayload('nodes/n/ignition.img', new Uint8Array(gzipSync(Buffer.from([0x30, 0x37, 0, 1]))))).toEqual({ binary: true });
  });

  it('masks token and client-key-data values in YAML and JSON lines, leaving keys and other values', () => {
    const lines = '  token: abc\n  - token: "d e"\nclient-key-data: xyz\ntokens: keep\n{"token":"q","a":"b"}\n';
    expect((readablePayload('nodes/n/notes.txt', new Uint8Array(Buffer.from(lines))) as { text: string }).text).toBe(
      '  token: <secret>\n  - token: <secret>\nclient-key-data: <secret>\ntokens: keep\n{"token":"<secret>","a":"b"}\n',
    );
  });
});
