// The real Apollo Client with its persisted-queries link against the server.
//   node apollo-client.mjs manifest <file>     writes the trusted-documents manifest of the
//                                             operations below, as Apollo's generator would
//   node apollo-client.mjs apq <url> [get]     the same query twice: a miss, then hash only
//   node apollo-client.mjs trusted <url>       a manifest operation, then one outside it
// Prints RESULT {…}: what came back and what each HTTP request carried.
import { writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { ApolloClient, InMemoryCache, HttpLink, gql } from "@apollo/client/core/index.js";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries/index.js";
import { print } from "graphql";

const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const TYPENAME = gql`query Typename { __typename }`;
const ME = gql`query Me { viewer { id } }`;
const OUTSIDE = gql`query Outside { viewer { id email } }`;

const [mode, target, option] = process.argv.slice(2);

if (mode === "manifest") {
  const manifest = Object.fromEntries([TYPENAME, ME].map((d) => [sha256(print(d)), print(d)]));
  writeFileSync(target, JSON.stringify(manifest, null, 2));
  console.log("RESULT " + JSON.stringify({ documents: Object.keys(manifest).length }));
  process.exit(0);
}

const sent = [];
const recordingFetch = async (input, init) => {
  const url = new URL(String(input));
  const body = init.body ? JSON.parse(init.body) : null;
  const extensions = body ? body.extensions : url.searchParams.get("extensions") && JSON.parse(url.searchParams.get("extensions"));
  sent.push({
    method: init.method || "GET",
    query: Boolean(body ? body.query : url.searchParams.get("query")),
    hash: Boolean(extensions && extensions.persistedQuery && extensions.persistedQuery.sha256Hash),
  });
  const response = await fetch(input, init);
  sent[sent.length - 1].status = response.status;
  return response;
};
const link = createPersistedQueryLink({ sha256, useGETForHashedQueries: option === "get" })
  .concat(new HttpLink({ uri: target, fetch: recordingFetch }));
const client = new ApolloClient({ link, cache: new InMemoryCache({ addTypename: false }) });
const run = async (query) => {
  try {
    const result = await client.query({ query, fetchPolicy: "network-only" });
    return { data: result.data };
  } catch (err) {
    const errors = (err.graphQLErrors && err.graphQLErrors.length ? err.graphQLErrors
      : (err.networkError && err.networkError.result && err.networkError.result.errors) || []);
    return { error: err.message, codes: errors.map((e) => e.extensions && e.extensions.code), reasons: errors.map((e) => e.extensions && e.extensions.reason) };
  }
};

let result;
if (mode === "apq") {
  const first = await run(TYPENAME);
  const afterFirst = sent.length;
  const second = await run(TYPENAME);
  result = { first, second, firstRequests: sent.slice(0, afterFirst), secondRequests: sent.slice(afterFirst) };
} else if (mode === "trusted") {
  const inside = await run(ME);
  const outside = await run(OUTSIDE);
  result = { inside, outside, sent };
} else {
  throw new Error("unknown mode " + mode);
}
console.log("RESULT " + JSON.stringify(result));
