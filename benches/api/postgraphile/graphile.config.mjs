// PostGraphile for `bash benches/api/run --compare`: the Amber preset over schema public of
// the bench database (DATABASE_URL), no RLS, no JWT, production settings (no GraphiQL,
// no watch, no explain); a pool of 10 like the server's default DATABASE_MAX_CONNECTIONS.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
export default {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 5678),
    graphiql: false,
    watch: false,
  },
  grafast: { explain: false },
};
