package dict

// PollOnly makes s.Watch poll without a file-system watcher.
func PollOnly(s *Store) { s.noWatch = true }

// Check runs the check a watch event or a poll tick makes.
func Check(s *Store, trigger string) (*Dictionary, error) { return s.reload(trigger, false) }

// FoldsToOne, MayFoldAway and SurelyLetter are foldsToOne, mayFoldAway
// and surelyLetter, for the tests of the over-blocking warnings.
var (
	FoldsToOne   = foldsToOne
	MayFoldAway  = mayFoldAway
	SurelyLetter = surelyLetter
)

// CompileOptions is compileOptions: the filter.Options a folder's words
// are compiled with.
var CompileOptions = compileOptions
