import { defineConfig } from 'drizzle-kit';

/** Migrations for the Postgres dialect: `npx drizzle-kit generate --config drizzle.postgres.config.ts --name <what>`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/postgres/schema.ts',
  out: './src/store/postgres/migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/qbo_slack' },
});
