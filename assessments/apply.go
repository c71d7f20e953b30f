package assessments

import (
	"archive/zip"
	"bytes"
	"net/mail"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ApplyLink is a public link that lets people apply to one iCIMS job by
// taking an assessment package first.
type ApplyLink struct {
	ID        int64
	TenantID  int64
	PackageID int64
	JobID     string
	JobTitle  string
	// Source is a value of the customer's lists.sources; SourceLabel is the
	// vendor's text for Source Name (application) and Source Specifics
	// (person).
	Source      string
	SourceLabel string
	ClosedAt    time.Time
	CreatedAt   time.Time
}

// Open reports whether the link still takes applications.
func (l ApplyLink) Open() bool { return l.ClosedAt.IsZero() }

// ApplyLinkMessage is what a link is signed over: the link alone, so that a
// token for one link opens no other.
func ApplyLinkMessage(id int64) []byte { return []byte("apply-link:" + strconv.FormatInt(id, 10)) }

// ApplyLinkToken is the public token of a link: its id and a signature.
func ApplyLinkToken(s Signer, id int64) string {
	return strconv.FormatInt(id, 10) + "." + s.Sign(ApplyLinkMessage(id))
}

// ParseApplyLinkToken returns the link id of a well-signed token.
func ParseApplyLinkToken(s Signer, token string) (int64, error) {
	idText, sig, ok := strings.Cut(token, ".")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || id <= 0 || !s.Verify(ApplyLinkMessage(id), sig) {
		return 0, Errorf(ENOTFOUND, "This application link is not valid. Please check the address you were given.")
	}
	return id, nil
}

// NewApplyLink is what an admin chooses when sharing a job.
type NewApplyLink struct {
	TenantID    int64
	PackageID   int64
	JobID       string
	JobTitle    string
	Source      string
	SourceLabel string
}

// MaxSourceLabel is iCIMS's limit on Source Name.
const MaxSourceLabel = 128

// Validate checks a new link against the customer's sources.
func (n NewApplyLink) Validate(sources []string) error {
	switch {
	case n.TenantID == 0 || n.JobID == "":
		return Errorf(EINVALID, "A link needs a job.")
	case n.PackageID == 0:
		return Errorf(EINVALID, "Choose the assessment package people take.")
	case n.Source == "":
		return Errorf(EINVALID, "Choose the Source from your iCIMS list of sources.")
	case len(sources) > 0 && !containsFold(sources, n.Source):
		return Errorf(EINVALID, "%q is not in your iCIMS list of sources; iCIMS would leave Source Name empty. Pick a value from the list.", n.Source)
	case strings.TrimSpace(n.SourceLabel) == "":
		return Errorf(EINVALID, "Enter the label written as Source Name and Source Specifics.")
	case utf8.RuneCountInString(n.SourceLabel) > MaxSourceLabel:
		return Errorf(EINVALID, "The label can be at most %d characters.", MaxSourceLabel)
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// ApplyClosedFolders are the job folders (by the start of their name) in
// which a job takes no applications: iCIMS documents no "open" flag, so
// this is the project's reading of the folder names iCIMS ships.
var ApplyClosedFolders = []string{"Closed", "Draft", "On Hold", "Cancelled"}

// JobTakesApplications reports whether a job's folder lets people apply.
func JobTakesApplications(folderName string) bool {
	for _, f := range ApplyClosedFolders {
		if strings.HasPrefix(strings.ToLower(folderName), strings.ToLower(f)) {
			return false
		}
	}
	return true
}

// ApplyStep is how far an application's iCIMS work has got.
type ApplyStep string

// The steps, each one River job: find or create the person, create the
// application (and the invitation), upload the CV.
const (
	ApplyStepPerson      ApplyStep = "person"
	ApplyStepApplication ApplyStep = "application"
	ApplyStepCV          ApplyStep = "cv"
	ApplyStepDone        ApplyStep = "done"
	ApplyStepFailed      ApplyStep = "failed"
)

// DeliveryKind is the kind of the outbound delivery that logs the step.
func (s ApplyStep) DeliveryKind() string { return "apply_" + string(s) }

// Application is one person's application through a link.
type Application struct {
	ID            int64
	TenantID      int64
	LinkID        int64
	FirstName     string
	LastName      string
	Email         string
	Phone         string
	CVName        string
	CVType        string
	CVSize        int
	PersonID      string
	PersonCreated bool
	WorkflowID    string
	InvitationID  int64
	Step          ApplyStep
	// Warning holds iCIMS's code 4 warnings, Problem why a step gave up.
	Warning   string
	Problem   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SourceWarningFix is what the admin is told to do about iCIMS's code 4
// warning on the source.
const SourceWarningFix = "Pick the link's Source from the list read from iCIMS (lists.sources); iCIMS writes Source Name and Source Specifics only for a listed source."

// CVFile is an uploaded CV whose type was read from its content.
type CVFile struct {
	Name        string
	ContentType string
	Data        []byte
}

// MaxCVBytes is the largest CV accepted.
const MaxCVBytes = 5 << 20

// The content types of the CVs accepted.
const (
	ContentTypePDF  = "application/pdf"
	ContentTypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// CheckCV reads a CV's type from its bytes, never from its name: a PDF
// starts with %PDF-, a DOCX is a zip holding word/document.xml.
func CheckCV(name string, data []byte) (CVFile, error) {
	if len(data) == 0 {
		return CVFile{}, Errorf(EINVALID, "The CV file is empty.")
	}
	if len(data) > MaxCVBytes {
		return CVFile{}, Errorf(EINVALID, "The CV is larger than 5 MB. Please upload a smaller file.")
	}
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	base = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`"<>/\`, r) {
			return -1
		}
		return r
	}, base)
	stem := strings.TrimSuffix(base, path.Ext(base))
	if stem == "" || stem == "." {
		stem = "cv"
	}
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return CVFile{Name: stem + ".pdf", ContentType: ContentTypePDF, Data: data}, nil
	case isDOCX(data):
		return CVFile{Name: stem + ".docx", ContentType: ContentTypeDOCX, Data: data}, nil
	}
	return CVFile{}, Errorf(EINVALID, "The CV must be a PDF or a Word (.docx) document.")
}

func isDOCX(data []byte) bool {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	var types, doc bool
	for _, f := range zr.File {
		switch f.Name {
		case "[Content_Types].xml":
			types = true
		case "word/document.xml":
			doc = true
		}
	}
	return types && doc
}

// NewApplication is what a person submits on the public page.
type NewApplication struct {
	TenantID  int64
	LinkID    int64
	FirstName string
	LastName  string
	Email     string
	Phone     string
	CV        *CVFile
}

// Normalize trims the fields and lower-cases the e-mail, the key by which
// a person is found in iCIMS and applies once.
func (n *NewApplication) Normalize() {
	n.FirstName = strings.Join(strings.Fields(n.FirstName), " ")
	n.LastName = strings.Join(strings.Fields(n.LastName), " ")
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	n.Phone = strings.TrimSpace(n.Phone)
}

// ApplyFieldErrors maps a form field to what is wrong with it.
type ApplyFieldErrors map[string]string

// Validate checks the form; the answer names each field that is wrong.
func (n NewApplication) Validate() ApplyFieldErrors {
	errs := ApplyFieldErrors{}
	if msg := checkName(n.FirstName); msg != "" {
		errs["first_name"] = "First name: " + msg
	}
	if msg := checkName(n.LastName); msg != "" {
		errs["last_name"] = "Last name: " + msg
	}
	if !validEmail(n.Email) {
		errs["email"] = "Enter an e-mail address like name@example.com."
	}
	if n.Phone != "" && !validPhone(n.Phone) {
		errs["phone"] = "Enter a phone number with 6 to 20 digits; +, spaces, dashes and brackets are fine."
	}
	return errs
}

// checkName allows letters (any script), spaces, apostrophes, hyphens and
// dots: enough for real names, nothing that could be markup.
func checkName(s string) string {
	if s == "" {
		return "please enter it."
	}
	if utf8.RuneCountInString(s) > 100 {
		return "at most 100 characters."
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || r == ' ' || r == '\'' || r == '-' || r == '.' || r == '’') {
			return "use letters, spaces, apostrophes, hyphens and dots only."
		}
	}
	return ""
}

func validEmail(s string) bool {
	if s == "" || len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.ContainsAny(s, " <>\"")
}

func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+ -().", r):
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 20
}
