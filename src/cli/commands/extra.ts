/** Commands contributed by other parts of kindling (Butane, cluster side, lock, diff), registered as they land. */
import type { Command } from '@commander-js/extra-typings';
import type { Io } from '../report.ts';

export function registerExtraCommands(_program: Command, _io: Io, _setExit: (code: number) => void): void {}
