/**
 * Error-provoking mutations: of the value tree (wrong types, unknown keys, removed or odd
 * variant/version) and of the YAML text (undefined aliases, tabs, cut documents, stray
 * indicators), each chosen to reach one of Butane's or yaml.v3's error paths.
 */
import { Raw, type Value } from './generate.ts';
import type { Rng } from './rng.ts';

type Obj = { [key: string]: Value };

function maps(v: Value, out: Obj[] = []): Obj[] {
  if (Array.isArray(v)) v.forEach((x) => maps(x, out));
  else if (typeof v === 'object' && !(v instanceof Raw)) {
    out.push(v);
    Object.values(v).forEach((x) => maps(x, out));
  }
  return out;
}

const WRONG: readonly Value[] = [new Raw('[]'), new Raw('{}'), new Raw('[a, b]'), new Raw('{a: 1}'), new Raw('12'), new Raw('true'), new Raw('null'), new Raw('~'), new Raw('""'), new Raw('1.5'), 'text', [], {}];

export function mutateTree(r: Rng, doc: Obj): void {
  const all = maps(doc);
  const n = 1 + r.int(2);
  for (let i = 0; i < n; i++) {
    const m = r.pick(all);
    const keys = Object.keys(m);
    switch (r.int(7)) {
      case 0:
        m[r.pick(['unknown', 'Path', 'contents_inline', 'sshAuthorizedKeys', 'mode ', '<<', 'x-extra'])] = r.pick(['v', new Raw('1'), {}]);
        break;
      case 1:
        if (keys.length > 0) m[r.pick(keys)] = r.pick(WRONG);
        break;
      case 2:
        if (keys.length > 0) delete m[r.pick(keys)];
        break;
      case 3:
        doc['version'] = r.pick(['1.4', '1.04.0', 'v1.5.0', '1.5.0-experimental', '1.5.0+meta', '01.5.0', '1.5.00', '1.6.0', '1.7.0-experimental', '1.2.0', '1.1.0', '2.0.0', '', new Raw('1.5'), new Raw('~'), '1.5.0-rc.1', ' 1.5.0']);
        break;
      case 4:
        doc['variant'] = r.pick(['FCOS', 'rhcos', 'openshift', 'r4e', 'fiot', '', new Raw('null'), 'flatcar', 'fcos', new Raw('[fcos]')]);
        break;
      case 5:
        delete doc[r.pick(['variant', 'version'])];
        break;
      default:
        if (keys.length > 0) m[r.pick(keys)] = new Raw(r.pick(['!!binary aGk=', '!!int "5"', '!!float 1', '!!null x', '!!bool "yes"', '!!map {}', '!!seq []', '!!timestamp 2001-01-01', '2001-12-14', '0x1F', '.inf', '-.Inf', '.nan', '1e2', '0.5', '1_0', '0b11', '0o17', '+1', '9999999999999999999', '-9223372036854775808', '2147483648']));
    }
  }
}

export function mutateText(r: Rng, text: string): string {
  const lines = text.split('\n');
  const at = r.int(lines.length);
  switch (r.int(9)) {
    case 0:
      lines.splice(at, 0, lines[at]!.replace(/^( *)/, '$1') + ' *undefined_anchor');
      return lines.join('\n');
    case 1:
      lines[at] = lines[at]!.replace(/^( +)/, (s) => '\t'.repeat(Math.max(1, s.length >> 1)));
      return lines.join('\n');
    case 2:
      return text.slice(0, r.int(text.length));
    case 3:
      lines[at] = lines[at]! + r.pick([' "', " '", ' [', ' {', ' ]', ' }', ':', ' &', ' *', ' !', ' %', ' @', ' `', ' #c', ' |', ' >', ' - x', ': x']);
      return lines.join('\n');
    case 4:
      lines[at] = ' ' + lines[at]!;
      return lines.join('\n');
    case 5:
      lines[at] = lines[at]!.replace(/^ {1,2}/, '');
      return lines.join('\n');
    case 6:
      lines.splice(at, 0, r.pick(['- stray', 'key: value', '  deeper: x', '? complex', '&anchor', '*alias', '---', '...', '%TAG ! tag:x,2000:']));
      return lines.join('\n');
    case 7:
      return text.replace(/: /, r.pick([':\t', ':  ', ' : ', ':']));
    default:
      return text + r.pick(['\u0000', '\u0007', '\uFFFE', '\uD800', '\u0085', '\u2028 x']);
  }
}
