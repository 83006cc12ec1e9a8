package server

// Kinds of hostile content element, the values of the kind label of
// wordfilter_hostile_content_total.
const (
	hostileDuplicateKey = "duplicate_key" // a key written twice in one object
	hostileCaseVariant  = "case_variant"  // a key equal to a text key but for case
)

// hostileKinds lists every kind, for the metrics.
var hostileKinds = []string{hostileDuplicateKey, hostileCaseVariant}
