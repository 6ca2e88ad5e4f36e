package graph

// FastNetworks counts the network answers fastnetwork.go wrote.
var FastNetworks = &fastNetworks
