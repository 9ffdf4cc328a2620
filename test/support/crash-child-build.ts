/**
 * The storage crash tests run their child (test/support/<name>.ts) as compiled JavaScript, built
 * with tsc into a folder of its own under dist/ from that file alone: a half-finished file
 * elsewhere in the tree cannot break the test.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..', '..', ...(import.meta.dirname.includes('/dist/') ? ['..'] : []));

/** Compiles test/support/<name>.ts into dist/<folder>/; returns the path of the child's .js. */
export function buildCrashChild(name: string, folder: string): string {
  const buildDir = join(repoRoot, 'dist', folder);
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
      ...['--outDir', buildDir, '--rootDir', repoRoot, '--module', 'NodeNext', '--moduleResolution', 'NodeNext'],
      ...['--target', 'ES2022', '--lib', 'ES2023', '--types', 'node', '--skipLibCheck', '--strict'],
      join(repoRoot, 'test', 'support', `${name}.ts`),
    ],
    { cwd: repoRoot, stdio: 'pipe' },
  );
  return join(buildDir, 'test', 'support', `${name}.js`);
}
