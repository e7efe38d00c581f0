// Cleanups that run in reverse order of registration (node:test's after-hooks run in the order they
// were added, which closes a client before the deletions that still need it).
import type { TestContext } from 'node:test';

const stacks = new WeakMap<TestContext, (() => unknown)[]>();

export function defer(t: TestContext, fn: () => unknown): void {
  let stack = stacks.get(t);
  if (!stack) {
    const fresh: (() => unknown)[] = [];
    stack = fresh;
    stacks.set(t, fresh);
    t.after(async () => {
      const errors: unknown[] = [];
      while (fresh.length > 0) {
        try {
          await fresh.pop()?.();
        } catch (e) {
          errors.push(e);
        }
      }
      if (errors.length > 0) throw errors[0];
    });
  }
  stack.push(fn);
}
