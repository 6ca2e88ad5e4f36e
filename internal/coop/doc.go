// Package coop holds coopgraph's domain: the entities of security cooperation
// (actors, places, agreements, meetings, events, statistics, sources), the
// typed relationships between them with the rules for which kinds each may
// join, citations, partial dates, the error codes the transports map onto the
// wire, and the Store interface that storage adapters implement.
//
// It imports no database or transport package.
package coop
