import { describe, expect, it } from 'vitest';
import { goParseUrl, validateSourceUrl } from '../../src/ignition/go-url.ts';
import { checkDataUrl } from '../../src/ignition/data-url.ts';

describe('Go URL parsing and Ignition source checks', () => {
  it('splits scheme, opaque part and query like net/url', () => {
    expect(goParseUrl('HTTPS://example.com/x?y=1')).toEqual({ scheme: 'https', opaque: '', rawQuery: 'y=1' });
    expect(goParseUrl('data:,hello')).toEqual({ scheme: 'data', opaque: ',hello', rawQuery: '' });
    expect(goParseUrl('arn:aws:s3:::bucket/key')).toEqual({ scheme: 'arn', opaque: 'aws:s3:::bucket/key', rawQuery: '' });
  });

  it('rejects what net/url rejects and WHATWG URL accepts', () => {
    // new URL() percent-encodes these; Go refuses them.
    for (const bad of ['http://x y/', 'http://x/%zz', 'http://x:port/', 'http://[::1', ':no-scheme', 'http://x/\n']) {
      expect([bad, goParseUrl(bad)]).toEqual([bad, null]);
    }
  });

  it('allows http, https, tftp, s3, gs and data sources, and arn only from 3.4.0', () => {
    for (const ok of ['http://h/f', 'https://h/f', 'tftp://h/f', 's3://b/k', 'gs://b/o', 'data:,x', 'data:;base64,eA==']) {
      expect([ok, validateSourceUrl(ok, '3.3.0')]).toEqual([ok, null]);
    }
    const arn = 'arn:aws:s3:::bucket/key';
    expect(validateSourceUrl(arn, '3.3.0')?.message).toBe('invalid url scheme');
    expect(validateSourceUrl(arn, '3.4.0')).toBeNull();
    expect(validateSourceUrl('arn:aws:s3:::bucket', '3.4.0')?.message).toBe('invalid S3 ARN format');
    expect(validateSourceUrl('file:///etc/passwd', '3.4.0')?.message).toBe('invalid url scheme');
  });

  it('reports the data URL library errors Ignition prints', () => {
    expect(checkDataUrl('data:,plain%20text')).toBeNull();
    expect(checkDataUrl('data:text/plain;charset=utf-8;base64,QUJD')).toBeNull();
    expect(checkDataUrl('data:,a b')?.message).toBe('invalid data character');
    expect(checkDataUrl('data:x')?.message).toBe('missing media type slash');
    expect(checkDataUrl('data:;base64,QQ')?.message).toBe('illegal base64 data at input byte 0');
    expect(checkDataUrl('data:,a%')?.message).toBe('rfc2396: unexpected end of unescape sequence');
    expect(checkDataUrl('data:;foo,x')?.message).toBe('expected base64, got foo');
  });
});
