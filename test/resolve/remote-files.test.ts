import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/build/load-project.ts';
import { compileProject } from '../../src/build/build-project.ts';
import { exampleProject, replaceOnce } from '../helpers/project.ts';

const URL_ = 'https://downloads.example.com/tools/motd.txt';

function withRemoteFile(sha512?: string): string {
  const contents = sha512 ? `{ url: "${URL_}", sha512: "${sha512}" }` : `{ url: "${URL_}" }`;
  return exampleProject({ 'roles/worker.yaml': replaceOnce('files:\n', `files:\n  - path: /etc/kindling/motd.txt\n    contents: ${contents}\n`) });
}

describe('remote profile files', () => {
  it('under allowUnpinned, are a loud warning and fetched without a hash check, like unpinned artifacts', () => {
    const loaded = loadProject(withRemoteFile(), { env: {} });
    const warning = loaded.diagnostics.find((d) => d.code === 'artifact/unpinned' && d.message.includes(URL_));
    expect(warning).toMatchObject({ severity: 'warning', message: `UNPINNED download: ${URL_} will be fetched at first boot without a hash check (allowUnpinned is set)` });
    expect(warning?.location?.file).toMatch(/roles\/worker\.yaml$/);
    const { builds } = compileProject(loaded.project!);
    const ign = JSON.parse(String(builds.find((b) => b.node.name === 'worker-1')!.artifacts.find((a) => a.name === 'config.ign')!.data)) as {
      storage: { files: { path: string; contents?: unknown }[] };
    };
    expect(ign.storage.files.find((f) => f.path === '/etc/kindling/motd.txt')?.contents).toEqual({ source: URL_ });
  });

  it('keep the sha512 the profile states, ahead of any lock file', () => {
    const sha512 = 'a'.repeat(128);
    const loaded = loadProject(withRemoteFile(sha512), { env: {} });
    expect(loaded.diagnostics.filter((d) => d.message.includes(URL_))).toEqual([]);
    const { builds } = compileProject(loaded.project!);
    const userData = String(builds.find((b) => b.node.name === 'worker-2')!.artifacts.find((a) => a.name === 'user-data')!.data);
    expect(userData).toContain(sha512);
  });
});
