/**
 * File modes. Profiles read `0644` as octal (see parse/yaml-to-value.ts) and accept the quoted
 * string '0644'. A decimal number that only makes sense as octal digits (644, 755) is almost
 * certainly a missing leading zero: butane warns about exactly this, and so do we.
 */
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import type { Severity } from '../diagnostics/diagnostic.ts';

export interface ModeResult {
  readonly mode?: number;
  readonly severity: Severity;
  readonly problem?: { code: DiagnosticCode; message: string; hint?: string };
}

export function parseMode(raw: number | string): ModeResult {
  let mode: number;
  if (typeof raw === 'string') {
    if (!/^0?[0-7]{1,4}$/.test(raw)) {
      return { severity: 'error', problem: { code: 'file/invalid-mode', message: `mode '${raw}' is not an octal permission such as '0644'` } };
    }
    mode = parseInt(raw, 8);
  } else {
    mode = raw;
  }
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    return { severity: 'error', problem: { code: 'file/invalid-mode', message: `mode ${raw} is out of range (0 to 07777)`, hint: 'write the mode in octal with a leading zero, e.g. 0644' } };
  }
  const digits = mode.toString(10);
  if (typeof raw === 'number' && mode > 0o777 && /^[0-7]{3,4}$/.test(digits)) {
    return {
      mode,
      severity: 'warning',
      problem: {
        code: 'file/decimal-mode',
        message: `mode ${digits} is read as decimal (octal ${mode.toString(8).padStart(4, '0')}); it looks like octal without its leading zero`,
        hint: `write 0${digits} if you meant octal`,
      },
    };
  }
  return { mode, severity: 'info' };
}
