import { describe, expect, it } from 'vitest';
import { translateButaneDocument } from '../../src/butane/index.ts';

/** A Butane document as kindling generates it, with `units` as given. */
function document(units: readonly object[]): Record<string, unknown> {
  return { variant: 'flatcar', version: '1.0.0', systemd: { units: [...units] } };
}

describe('source checks of frozen items shared between documents', () => {
  const good = Object.freeze({ name: 'a.service', contents: '[Service]\nExecStart=/bin/true\n' });
  const bad = Object.freeze({ name: 'b.service', contents: '[Service]\n', contents_local: 'b.service' });

  it('reports a frozen item with a problem in every document, at the place it has there', () => {
    const first = translateButaneDocument(document([bad]));
    const second = translateButaneDocument(document([good, bad]));
    expect(first.ok).toBe(false);
    expect(second.ok).toBe(false);
    expect(first.report.map((e) => [e.message, e.path])).toEqual([['only one of the following can be set: contents, contents_local', ['systemd', 'units', 0, 'contents_local']]]);
    expect(second.report.map((e) => [e.message, e.path])).toEqual([['only one of the following can be set: contents, contents_local', ['systemd', 'units', 1, 'contents_local']]]);
  });

  it('keeps passing a frozen item that passed, beside new items that do not', () => {
    expect(translateButaneDocument(document([good])).ok).toBe(true);
    expect(translateButaneDocument(document([good])).ok).toBe(true);
    const mixed = translateButaneDocument(document([good, { name: 'c.service', contents: 'x', contents_local: 'c' }]));
    expect(mixed.report.map((e) => e.path)).toEqual([['systemd', 'units', 1, 'contents_local']]);
  });
});
