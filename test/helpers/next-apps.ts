/** What the Next.js tests share: a copy of examples/next, and a client component that imports what it must not. */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../package/run-node.js';

/** Copies examples/next to `to` (replacing what was there), without its build, dependencies or generated types. */
export function copyNextExample(to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(join(ROOT, 'examples/next'), to, {
    recursive: true,
    filter: (source) => !/[/\\](\.next|node_modules|next-env\.d\.ts)$/.test(source),
  });
}

/** The secret-holding imports a client component must not make, by what they test. */
export const LEAKS = {
  /** The server helper of /next (Next.js's own `server-only` error). */
  nextHelper: { imports: "import { createPostHogIdentity } from 'posthog-conversations/next';", used: 'typeof createPostHogIdentity' },
  /** The root and /identity (our browser guard). */
  rootAndIdentity: {
    imports: "import { computeIdentityHash } from 'posthog-conversations';\nimport { identityFor } from 'posthog-conversations/identity';",
    used: 'typeof computeIdentityHash}{typeof identityFor',
  },
} as const;

/** Adds `app/leak`: a page rendering a client component that makes `leak`'s imports. */
export function addClientLeak(app: string, leak: (typeof LEAKS)[keyof typeof LEAKS]): void {
  mkdirSync(join(app, 'app/leak'), { recursive: true });
  writeFileSync(
    join(app, 'app/leak/leak.tsx'),
    `'use client';\n${leak.imports}\nexport function Leak() { return <p>{${leak.used}}</p>; }\n`,
  );
  writeFileSync(join(app, 'app/leak/page.tsx'), `import { Leak } from './leak';\nexport default function Page() { return <Leak />; }\n`);
}
