/** Commands beyond the build itself: the Butane drop-in and, as they land, cluster-side and supply-chain commands. */
import type { Command } from '@commander-js/extra-typings';
import type { Io } from '../report.ts';
import { registerButaneCommand } from './butane.ts';
import { diffCommand } from './diff.ts';
import { rbacCommand } from './rbac.ts';
import { kubeconfigCommand } from './kubeconfig.ts';
import { lockCommand } from './lock.ts';

export function registerExtraCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  registerButaneCommand(program, io, setExit);
  program.addCommand(diffCommand(io, setExit));
  program.addCommand(rbacCommand(io, setExit));
  program.addCommand(kubeconfigCommand(io, setExit));
  program.addCommand(lockCommand(io, setExit));
}
