import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import { envSchema, loadConfig } from '../src/config.ts';
import { healthRoute } from '../src/http/health.ts';
import type { HttpDeps } from '../src/http/deps.ts';

/** There is no Docker engine here: the deployment files are checked against what the app really needs and does. */

const root = new URL('..', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, root), 'utf8');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
const dockerfile = read('Dockerfile');
const compose = parse(read('compose.yaml')) as {
  services: Record<
    string,
    {
      image?: string;
      command?: string[];
      deploy?: { replicas?: number };
      environment?: Record<string, string>;
      healthcheck?: { test: string[] };
    }
  >;
};

/** Variables the config cannot do without (no default, not optional). */
const required = Object.entries(envSchema.shape)
  .filter(([, field]) => !field.safeParse(undefined).success)
  .map(([name]) => name);
const startCommand = pkg.scripts.start!.split(' ');
const defaultPort = String(
  loadConfig({
    PUBLIC_URL: 'https://x.example',
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SLACK_SIGNING_SECRET: 's',
    SLACK_BOT_TOKEN: 'xoxb-1',
    QBO_CLIENT_ID: 'i',
    QBO_CLIENT_SECRET: 's',
  }).port,
);
const healthPath = healthRoute({} as HttpDeps).path;
/** The last instruction of a kind, continuation lines joined. */
const instruction = (name: string) =>
  [...dockerfile.replace(/\\\n\s*/g, ' ').matchAll(new RegExp(`^${name}\\s+(.+)$`, 'gm'))].map((m) => m[1]!.trim()).at(-1) ?? '';

describe('Dockerfile', () => {
  it('runs the compiled build with production dependencies on Node 20 slim, as a non-root user', () => {
    expect(dockerfile).toMatch(/^FROM node:20-slim\s*$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(startCommand).toEqual(['node', 'dist/src/main.js']);
    expect(JSON.parse(instruction('CMD'))).toEqual(startCommand);
    expect(instruction('USER')).not.toMatch(/^(root|0)$/);
    expect(instruction('USER')).not.toBe('');
  });

  it('exposes the port the app listens on and checks its health route', () => {
    expect(instruction('EXPOSE')).toBe(defaultPort);
    expect(dockerfile).toMatch(new RegExp(`ENV .*PORT=${defaultPort}`));
    const check = instruction('HEALTHCHECK');
    expect(check).toContain(healthPath);
    expect(check).toContain('process.env.PORT||3000');
  });
});

describe('compose.yaml', () => {
  const app = compose.services.app!;
  const env = app.environment ?? {};
  /** The environment compose would give the app, with every ${VAR…} filled by a sample value. */
  const resolved = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      k,
      String(v).replace(/\$\{(\w+)(:?[-?][^}]*)?\}/g, (_, name: string, rest?: string) =>
        name === 'APP_ENCRYPTION_KEY'
          ? randomBytes(32).toString('base64')
          : name === 'PUBLIC_URL'
            ? 'https://invoices.example.com'
            : name === 'SLACK_BOT_TOKEN'
              ? 'xoxb-1'
              : rest?.startsWith(':-')
                ? rest.slice(2)
                : `sample-${name.toLowerCase()}`,
      ),
    ]),
  );

  it('runs two app replicas with the real start command on one Postgres', () => {
    expect(app.deploy?.replicas).toBe(2);
    expect(app.command).toEqual(startCommand);
    expect(Object.values(compose.services).some((s) => /^postgres:\d+/.test(s.image ?? ''))).toBe(true);
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
  });

  it("names every variable src/config.ts requires, and the app's config accepts the result as Postgres", () => {
    for (const name of required) expect(Object.keys(env), name).toContain(name);
    const config = loadConfig(resolved);
    expect(config.database.kind).toBe('postgres');
    expect(String(config.port)).toBe(defaultPort);
  });

  it('checks health on the real port and route', () => {
    expect(app.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${defaultPort}${healthPath}`);
  });
});
