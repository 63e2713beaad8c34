import { describe, expect, it } from 'vitest';
import { BuildContext, contextTable, memoTable } from '../../src/build/build-context.ts';
import { loadProject } from '../../src/build/load-project.ts';
import { planNode } from '../../src/plan/plan-node.ts';
import { exampleProject } from '../helpers/project.ts';

describe('BuildContext', () => {
  it('refuses to plan a second project with the context of the first (its tables hold the first one\'s values)', () => {
    const first = loadProject(exampleProject(), { env: {} }).project!;
    const second = loadProject(exampleProject(), { env: {} }).project!;
    const context = new BuildContext();
    expect(planNode(first, first.nodes[0]!, context).plan).toBeDefined();
    expect(() => planNode(second, second.nodes[0]!, context)).toThrow('a build context serves one project');
  });

  it('gives each context tables of its own', () => {
    const kind = contextTable('test table', () => new Map<string, number>());
    const a = new BuildContext();
    const b = new BuildContext();
    a.table(kind).set('x', 1);
    expect(a.table(kind).get('x')).toBe(1);
    expect(b.table(kind).has('x')).toBe(false);
  });

  it('remembers a memo table\'s answers, and starts the table over at its limit', () => {
    const computed: string[] = [];
    const memo = memoTable('test memo', 2, (key) => {
      computed.push(key);
      return key.toUpperCase();
    });
    const context = new BuildContext();
    expect([context.memo(memo, 'a'), context.memo(memo, 'a'), context.memo(memo, 'b')]).toEqual(['A', 'A', 'B']);
    expect(computed).toEqual(['a', 'b']);
    context.memo(memo, 'c'); // the table was full: it starts over with c
    context.memo(memo, 'a');
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });

  it('marks what it shares, deep-frozen, and nothing else', () => {
    const context = new BuildContext();
    const shared = context.share({ inner: { list: [1] } });
    expect(context.isShared(shared)).toBe(true);
    expect(Object.isFrozen(shared.inner.list)).toBe(true);
    expect(context.isShared(Object.freeze({}))).toBe(false);
    expect(new BuildContext().isShared(shared)).toBe(false);
  });
});
