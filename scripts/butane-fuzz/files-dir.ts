/** The files directory (`-d`) the fuzzer and the parity corpus run with: text, binary, empty, a tree with a symlink. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function makeFilesDir(dir: string): void {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'a.txt'), 'hello from a file\n');
  writeFileSync(join(dir, 'big.txt'), 'compressible line of text\n'.repeat(400));
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 'unit.service'), '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n');
  writeFileSync(join(dir, 'key.pub'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA one\nssh-rsa AAAAB3NzaC1yc2E= two\n');
  writeFileSync(join(dir, 'sub', 'b.txt'), 'b\n');
  writeFileSync(join(dir, 'bin.dat'), Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256)));
  writeFileSync(join(dir, 'tree', 'x'), 'x\n');
  writeFileSync(join(dir, 'tree', 'sub', 'y'), 'y\n'.repeat(200));
  symlinkSync('x', join(dir, 'tree', 'link'));
}
