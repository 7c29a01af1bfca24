// N graphql-ws clients (the real `graphql-ws` client on `ws`) subscribe to focusSession on
// instance A; when A shuts down they must see 1001 and reconnect to instance B, resuming
// with `since` = the last version each saw, so B catches them up.
//   node graphql-ws-failover.mjs <ws url A> <ws url B> <http url B> <token> <n>
// Prints READY once every client has its first event; then waits for a line on stdin (the
// test has sent SIGTERM to A and paused the session through B) and for every client to see
// the PAUSED session; prints RESULT {closeCodes, paused, caughtUp, urls}.
import { createInterface } from "node:readline";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [wsA, wsB, httpB, token, n] = process.argv.slice(2);
const count = Number(n);

// The type of `since` as the schema has it (so the query declares what the server takes).
const introspection = await fetch(httpB, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query: '{ __type(name: "Subscription") { fields { name args { name type { name kind ofType { name } } } } } }' }),
}).then((r) => r.json());
const since = introspection.data.__type.fields.find((f) => f.name === "focusSession").args.find((a) => a.name === "since");
const sinceType = since.type.kind === "NON_NULL" ? since.type.ofType.name + "!" : since.type.name;

const clients = [];
for (let i = 0; i < count; i++) {
  const state = { codes: [], urls: [], events: [], version: null, firstAfterReconnect: null, connections: 0 };
  let attempt = 0;
  const client = createClient({
    url: () => {
      const url = attempt++ === 0 ? wsA : wsB;
      state.urls.push(url === wsA ? "A" : "B");
      return url;
    },
    webSocketImpl: WebSocket,
    connectionParams: { authorization: "Bearer " + token },
    retryAttempts: 10,
    // Long enough that the change made while the clients are away is missed live.
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 1000 + Math.random() * 500)),
    on: {
      connected: () => { state.connections += 1; },
      closed: (event) => { state.log = (state.log || []).concat([`${Date.now() % 100000} closed ${event && event.code}`]); if (event && typeof event.code === "number") state.codes.push(event.code); },
    },
  });
  // graphql-ws sends this payload again on every reconnect: `since` moves with each event.
  const payload = {
    query: `subscription Focus($since: ${sinceType}) { focusSession(since: $since) { id lastChange version } }`,
    variables: { since: 0 },
  };
  client.subscribe(payload, {
    next: ({ data }) => {
      if (!data) return;
      const session = data.focusSession;
      if (state.connections > 1 && state.firstAfterReconnect === null) state.firstAfterReconnect = session.lastChange;
      state.events.push(session.lastChange);
      state.log = (state.log || []).concat([`${Date.now() % 100000} ${session.lastChange} ${session.version} since=${payload.variables.since} conn=${state.connections}`]);
      state.version = session.version;
      payload.variables.since = session.version;
    },
    error: (err) => state.events.push("error:" + JSON.stringify(err && (err.code || err.message || err))),
    complete: () => {},
  });
  clients.push({ client, state });
}

const until = async (check, ms, what) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 25));
  }
};
await until(() => clients.every((c) => c.state.events.length > 0), 30000, "every first event");
console.log("READY");

const lines = createInterface({ input: process.stdin });
await new Promise((resolve) => lines.once("line", resolve));
console.error("paused at", Date.now() % 100000);
await until(() => clients.every((c) => c.state.events.includes("PAUSED")), 30000, "every client to see PAUSED").catch((err) => console.error(String(err)));

const closeCodes = {};
for (const { state } of clients) for (const code of state.codes) closeCodes[code] = (closeCodes[code] || 0) + 1;
const result = {
  closeCodes,
  paused: clients.filter((c) => c.state.events.includes("PAUSED")).length,
  caughtUp: clients.filter((c) => c.state.firstAfterReconnect === "PAUSED").length,
  reconnectedToB: clients.filter((c) => c.state.urls.includes("B") && c.state.connections >= 2).length,
  sample: clients[0].state,
};
clients.forEach((c) => c.client.dispose());
console.log("RESULT " + JSON.stringify(result));
process.exit(0);
