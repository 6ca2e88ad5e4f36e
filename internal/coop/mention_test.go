package coop

import "testing"

func TestMentionsAreWholeNamesAndShortOnesAsWritten(t *testing.T) {
	for _, tc := range []struct {
		name    string
		aliases []string
		text    string
		want    bool
	}{
		{"Los Choneros", nil, "Groups like LOS CHONEROS grew.", true},
		{"Gian Carlo Loffredo Rendón", nil, "Minister Gian Carlo Loffredo Rendon met them.", true},
		{"Los Lobos", nil, "Los Lobosos is another word.", false},  // whole words only
		{"Los Choneros", nil, "Los, and then Choneros.", false},    // word after word
		{"United States", []string{"US"}, "He told us so.", false}, // short: as written
		{"United States", []string{"US"}, "The US and Ecuador met.", true},
		{"José Adolfo Macías Villamar", []string{"Fito"}, "known as Fito", true},
		{"José Adolfo Macías Villamar", []string{"Fito"}, "a fito of sorts", false},
		{"U.S. Department of the Treasury", []string{"Treasury"}, "the treasury of a museum", false}, // common word: as written
		{"U.S. Department of the Treasury", []string{"Treasury"}, "the Treasury said", true},
		{"Cartel Jalisco Nueva Generación", []string{"CJNG"}, "cartels like Sinaloa and CJNG", true},
		{"U.S. Department of the Treasury", []string{"the Treasury"}, "the treasury of the town", false}, // articles tell nothing
		{"U.S. Department of the Treasury", []string{"the Treasury"}, "The Treasury said", true},
		{"Los Lobos", nil, "los lobos", true},                                                 // "los" aside, "lobos" is telling
		{"José Adolfo Macías Villamar", nil, "Jose\u0301 Adolfo Maci\u0301as Villamar", true}, // decomposed accents
		{"U.S. Department of Defense", []string{"Pentagon"}, "a pentagon has five sides", false},
		{"United States", []string{"U.S."}, "The U.S. and Ecuador met.", true},
		{"United States", []string{"U.S."}, "a u.s. of sorts", false}, // initials tell nothing: as written
		{"Quito", nil, "QUITO", true},
		{"Quito", nil, "quito", true},
	} {
		t.Run(tc.name+" in "+tc.text, func(t *testing.T) {
			b := &Base{Name: tc.name, Aliases: tc.aliases}
			if got := NewMentionText(tc.text).Mentions(MentionForms(b)); got != tc.want {
				t.Errorf("%q (aliases %v) in %q: %v; want %v", tc.name, tc.aliases, tc.text, got, tc.want)
			}
		})
	}
}
