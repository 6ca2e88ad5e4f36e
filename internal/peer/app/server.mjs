// The peer that `coopgraph compare` measures coopgraph against: the official
// Neo4j GraphQL Library (@neo4j/graphql) on Apollo Server, over the same
// Neo4j and the same graph. Its type definitions map coopgraph's storage
// (labels Entity plus Actor, Place, ...; ids in `id`; relationship
// properties id, since, until, status) so that each query coopgraph answers
// has a query here that answers the same. The library compiles each root
// field into one Cypher statement.
//
// Configuration, from the environment: NEO4J_URI, NEO4J_USER,
// NEO4J_PASSWORD, NEO4J_DATABASE (optional), PEER_PORT (it listens on
// 127.0.0.1). On standard input, a JSON object from coopgraph:
//   {"ties": ["HOLDS_OFFICE", ...],          the allow-listed relationship types
//    "network": {"1": "CYPHER", "2": ...}}   coopgraph's network statement per depth
// It prints "listening on URL" once it serves.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

function setting(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`peer: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

const input = JSON.parse(await readStdin());
const ties = input.ties.join("|");

// A GraphQL block string cannot hold three quotes in a row, and Cypher
// statements never do; say so rather than build a broken schema.
function block(cypher) {
  if (cypher.includes('"""')) throw new Error('a Cypher statement holds """');
  return '"""\n' + cypher + '\n"""';
}

// Networks: the library has no operation for "the neighbourhood up to N
// hops, at most perNode ties per node and limit nodes", so each depth is a
// @cypher field holding coopgraph's own statement (sent on stdin, so the
// two never drift apart), projected into nodes and edges. Its parameters
// are the field's arguments; perNodeProbe is perNode + 1, activeFirst and
// activeLast are left out (null: no date filter).
function networkStatement(cypher) {
  return `CALL () {
${cypher}
}
CALL (edges) { UNWIND edges AS e RETURN collect(DISTINCT e) AS distinctEdges }
RETURN {
  nodes: [n IN nodes | {id: n.id, name: n.name,
                        kind: coalesce(n.kind, toUpper([l IN labels(n) WHERE l <> 'Entity'][0]))}],
  edges: [e IN distinctEdges | {id: e[0].id, source: e[1], target: e[2], type: type(e[0]),
                                since: e[0].since, until: e[0].until, status: e[0].status}],
  truncated: truncated
} AS network`;
}

const networkFields = Object.entries(input.network)
  .map(
    ([depth, cypher]) => `
  networkDepth${depth}(ids: [String!]!, limit: Int!, perNode: Int!, perNodeProbe: Int!, activeFirst: String, activeLast: String): Network!
    @cypher(statement: ${block(networkStatement(cypher))}, columnName: "network")`,
  )
  .join("");

// Search: the same full-text index (entity_names) and the same Lucene
// queries coopgraph builds from the text (sent by the client as every and
// any): first the entities holding every word, whole or as a prefix; only
// when those are fewer than first, those holding any word, within one typo
// too. Hits holding every word come first, then by the index's score.
// coopgraph ranks further by how names match (neo4jstore.Search).
const searchStatement = `CALL () {
  CALL db.index.fulltext.queryNodes('entity_names', $every, {limit: $scan}) YIELD node, score
  RETURN collect({node: node, score: score}) AS strict
}
CALL (strict) {
  WITH strict WHERE size(strict) < $first
  CALL db.index.fulltext.queryNodes('entity_names', $any, {limit: $scan}) YIELD node, score
  RETURN collect({node: node, score: score}) AS loose
  UNION
  WITH strict WHERE size(strict) >= $first
  RETURN [] AS loose
}
WITH strict, [h IN loose WHERE NOT h.node IN [s IN strict | s.node]] AS loose
UNWIND [h IN strict | {node: h.node, score: h.score, strict: true}] + [h IN loose | {node: h.node, score: h.score, strict: false}] AS hit
WITH hit ORDER BY hit.strict DESC, hit.score DESC LIMIT $first
WITH hit, hit.node AS n
RETURN {score: hit.score, strict: hit.strict, entity: n {.id, .name}} AS hit`;

const typeDefs = `#graphql
# Read only: no mutations are generated.
extend schema @mutation(operations: [])

interface Entity {
  id: String!
  name: String!
}

# Every entity node carries Entity and its type's label: matching on both
# lets Neo4j find ids through the entity_id index.
type Actor implements Entity @node(labels: ["Actor", "Entity"]) {
  id: String!
  name: String!
  kind: String!
  aliases: [String!]!
  country: [Actor!]! @relationship(type: "IN_COUNTRY", direction: OUT)
  # OPERATES_IN ties in either direction (countries operate in places and
  # are operated in), to actors and places, with their properties.
  operatesIn: [Entity!]! @relationship(type: "OPERATES_IN", direction: OUT, queryDirection: UNDIRECTED, properties: "Tie")
  # The first ties of every allow-listed type, in either direction, by
  # relationship id: generated relationship fields name one type each.
  relationships(first: Int!): [TieRow!]!
    @cypher(statement: ${block(`MATCH (this)-[r:${ties}]-(m:Entity)
WITH r ORDER BY r.id LIMIT $first
WITH r, endNode(r) AS e
RETURN {id: r.id, type: type(r), since: r.since, to: e {.id, .name}} AS tie`)}, columnName: "tie")
}

type Place implements Entity @node(labels: ["Place", "Entity"]) {
  id: String!
  name: String!
  kind: String!
}

type Tie @relationshipProperties {
  id: String!
  since: String
  until: String
  status: String!
}

type Named {
  id: String!
  name: String!
}

type TieRow {
  id: String!
  type: String!
  since: String
  to: Named!
}

type Network {
  nodes: [NetworkNode!]!
  edges: [NetworkEdge!]!
  truncated: Boolean!
}

type NetworkNode {
  id: String!
  name: String!
  kind: String!
}

type NetworkEdge {
  id: String!
  source: String!
  target: String!
  type: String!
  since: String
  until: String
  status: String!
}

type SearchHit {
  score: Float!
  "Whether the entity holds every word of the text."
  strict: Boolean!
  entity: Named!
}

type Query {
  search(every: String!, any: String!, first: Int!, scan: Int!): [SearchHit!]!
    @cypher(statement: ${block(searchStatement)}, columnName: "hit")
${networkFields}
}
`;

const driver = neo4j.driver(
  setting("NEO4J_URI"),
  neo4j.auth.basic(process.env.NEO4J_USER || "neo4j", setting("NEO4J_PASSWORD")),
);
const database = process.env.NEO4J_DATABASE || undefined;
// Ids are strings compared by order for paging (id > after), a filter the
// library generates for String fields when asked to, not for ID fields.
const library = new Neo4jGraphQL({ typeDefs, driver, features: { filters: { String: { GT: true } } } });
const server = new ApolloServer({ schema: await library.getSchema(), includeStacktraceInErrorResponses: false });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(setting("PEER_PORT")) },
  context: async () => (database ? { sessionConfig: { database } } : {}),
});
console.log(`listening on ${url}`);

async function stop(signal) {
  console.error(`peer: ${signal} received, stopping`);
  await server.stop();
  await driver.close();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
