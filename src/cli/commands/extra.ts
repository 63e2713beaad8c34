/** Commands beyond the build itself: the Butane drop-in and, as they land, cluster-side and supply-chain commands. */
import type { Command } from '@commander-js/extra-typings';
import type { Io } from '../report.ts';
import { registerButaneCommand } from './butane.ts';

export function registerExtraCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  registerButaneCommand(program, io, setExit);
}
