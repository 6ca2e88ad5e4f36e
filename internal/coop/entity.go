package coop

// Citation ties a fact to the place in a source that supports it.
type Citation struct {
	SourceID string `json:"source"`
	Locator  string `json:"locator"` // a paragraph "¶5", an item "A3", a page "p. 12"
	// Status is what this source says of a tie (CONFIRMED, REPORTED,
	// ALLEGED, DISPUTED); empty when not recorded apart from the tie's, and
	// always for an entity's citations.
	Status Status `json:"status,omitempty"`
}

// Base holds what every entity has.
type Base struct {
	ID      string
	Name    string // as the source writes it; other spellings are aliases
	Aliases []string
	// EditorialAliases are the aliases no source uses (USA, DoD), kept
	// so that search and mentions find the entity by them; a subset of
	// Aliases.
	EditorialAliases []string
	Description      string
	Citations        []Citation
	Provenance
	// Version counts the changes made to the entity; writes that name a
	// stale version are refused, so no concurrent update is lost.
	Version int64
	// Synthetic marks invented data (coopgraph gen, for measuring): never a
	// fact, and shown as such wherever the entity's provenance is.
	Synthetic bool
}

func (b *Base) EntityID() string  { return b.ID }
func (b *Base) EntityBase() *Base { return b }

// Entity is any node of the graph.
type Entity interface {
	EntityID() string
	EntityType() EntityType
	EntityBase() *Base
}

// Actor is a person or organisation that acts: an official, a ministry, a
// military, a country, a criminal group, a cartel.
type Actor struct {
	Base
	Kind      ActorKind
	CountryID string // id of the COUNTRY actor it belongs to, if known
}

// Place is somewhere things happen: a city, a port, a region, a building.
type Place struct {
	Base
	Kind      PlaceKind
	CountryID string
}

// Agreement is a law, strategy, treaty, doctrine or proposal.
type Agreement struct {
	Base
	Kind                             AgreementKind
	Status                           AgreementStatus
	Proposed, Signed, InForce, Ended Date
}

// Meeting is a gathering of actors on a date.
type Meeting struct {
	Base
	Date     Date
	Topics   []string
	Outcomes []string
}

// Event is something that happened, in ACLED's terms.
type Event struct {
	Base
	EventType    EventType
	SubEventType string
	Date         Date
	EndDate      Date
	Fatalities   *int
}

// Statistic is one figure: one indicator, for one place and period, from
// one source. Sources disagree, so figures are never properties of places.
type Statistic struct {
	Base
	Indicator              string
	Value                  float64
	Unit                   string
	Bound                  Bound // how Value bounds the figure; EXACT when empty
	PeriodStart, PeriodEnd Date
}

// Source is a document facts are drawn from.
type Source struct {
	Base      // Name is the title
	Publisher string
	Published Date
	Kind      SourceKind
	URL       string
}

func (*Actor) EntityType() EntityType     { return TypeActor }
func (*Place) EntityType() EntityType     { return TypePlace }
func (*Agreement) EntityType() EntityType { return TypeAgreement }
func (*Meeting) EntityType() EntityType   { return TypeMeeting }
func (*Event) EntityType() EntityType     { return TypeEvent }
func (*Statistic) EntityType() EntityType { return TypeStatistic }
func (*Source) EntityType() EntityType    { return TypeSource }

// Relationship is a typed, dated, cited tie between two entities.
type Relationship struct {
	ID          string
	Type        RelationType
	FromID      string
	ToID        string
	Since       Date
	Until       Date
	AsOf        Date // when the source attests the tie, if it gives no start
	Role        string
	Status      Status
	Description string
	Citations   []Citation
	Provenance
	Version int64

	// From and To are the end entities when the store fetched them with the
	// relationship; nil otherwise.
	From, To Entity
}
