// The GraphQL-over-HTTP spec's own audit suite (graphql-http's serverAudits) against the
// server at argv[2]; prints RESULT {"results": [{id, name, status, reason}]}.
import { serverAudits } from "graphql-http";

const url = process.argv[2];
const results = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  results.push({
    id: audit.id,
    name: audit.name,
    status: result.status,
    reason: result.status === "ok" ? null : result.reason,
  });
}
console.log("RESULT " + JSON.stringify({ results }));
