/** The mirror folder's layout: the release URL's path, decoded, and nothing a web server would not map to a plain file. */
import { describe, expect, it } from 'vitest';
import { mirrorRelativePath } from '../../src/lock/mirror-dir.ts';

describe('mirrorRelativePath', () => {
  it('is the decoded path of the release URL, without its query', () => {
    expect(mirrorRelativePath('https://github.com/flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64')).toBe('flannel-io/flannel/releases/download/v0.28.9/flanneld-amd64');
    expect(mirrorRelativePath('https://downloads.example.com/a%20b/tool.tgz?x=1')).toBe('a b/tool.tgz');
  });

  it('refuses a path that would leave the folder, hide a slash, or name a hidden or empty segment', () => {
    for (const url of [
      'https://example.com/a/%2e%2e%2f%2e%2e%2fetc/passwd',
      'https://example.com/a/..%2Fb',
      'https://example.com/a%5Cb',
      'https://example.com/.hidden/file',
      'https://example.com/a//b',
      'https://example.com/dir/',
      'https://example.com/',
    ]) {
      expect({ url, path: mirrorRelativePath(url) }).toEqual({ url, path: undefined });
    }
  });
});
