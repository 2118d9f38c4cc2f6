import { defineConfig } from 'drizzle-kit';

// Only used by `npm run db:generate`: it compares src/db/schema.ts with migrations/ and writes a new migration.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
});
