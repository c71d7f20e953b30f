package icimstest

import (
	"slices"
	"strings"
	"time"
)

// customer is one iCIMS customer's whole state.
type customer struct {
	id     string
	name   string
	region string

	people    map[int]*profile
	jobs      map[int]*profile
	workflows map[int]*profile
	resumes   map[int]*file
	locations map[int]string
	// lists are the standard lists, named by GET /v2/lists.
	lists []*list
	// customLists are the customer's own lists: the children of
	// lists.customfields_lists, each read by its node id.
	customLists []*list
	// customFields are the customer's person custom fields (the scorecard
	// fields), defined by the customer, not by iCIMS.
	customFields []fieldDef
	recruiterID  int
	// assessmentTypes and assessmentNames are the node ids of the
	// Assessment Type and Assessment Name custom lists.
	assessmentTypes string
	assessmentNames string

	nextPerson   int
	nextJob      int
	nextWorkflow int
	nextEntry    int

	faults   Faults
	vendor   VendorSettings
	calls    []Call
	events   []Event
	admitted []time.Time // API calls let through, for the rate-limit window
}

// file is a stored attachment (the résumé).
type file struct {
	name        string
	contentType string
	data        []byte
}

// list is a customer list: its id (e.g. lists.sources, or a node id for a
// custom list), its name and its nodes.
type list struct {
	id    string
	name  string
	nodes []node
}

func (l *list) node(id string) (node, bool) {
	for _, n := range l.nodes {
		if n.ID == id {
			return n, true
		}
	}
	return node{}, false
}

func (l *list) byValue(value string) (node, bool) {
	for _, n := range l.nodes {
		if strings.EqualFold(n.Value, value) {
			return n, true
		}
	}
	return node{}, false
}

// list finds a standard list by its list id or a custom list by its node
// id.
func (c *customer) list(id string) *list {
	for _, l := range slices.Concat(c.lists, c.customLists) {
		if l.id == id {
			return l
		}
	}
	return nil
}

// personDefs are the person fields, the custom ones minus any deleted by
// the DeletedFields fault.
func (c *customer) personDefs() []fieldDef {
	defs := []fieldDef{
		{id: "firstname", label: "First Name", typ: ftText, max: 100},
		{id: "middlename", label: "Middle Name", typ: ftText, max: 100},
		{id: "lastname", label: "Last Name", typ: ftText, max: 100},
		{id: "email", label: "Email", typ: ftEmail},
		{id: "source", label: "Source", typ: ftText, max: 100},
		{id: "sourcespecifics", label: "Source Specifics", typ: ftText, max: 255},
		// phones is a collection, like assessmentresults: rows of a type
		// (a node of lists.phone_type) and a number.
		{id: "phones", label: "Phones", typ: ftRows, rows: []fieldDef{
			{id: "phonetype", label: "Phone Type", typ: ftNode, list: ListPhoneTypes},
			{id: "phonenumber", label: "Phone Number", typ: ftText, max: 50},
		}},
	}
	for _, d := range c.customFields {
		if !slices.Contains(c.faults.DeletedFields, d.id) {
			defs = append(defs, d)
		}
	}
	return defs
}

func (c *customer) jobDefs() []fieldDef {
	return []fieldDef{
		{id: "jobtitle", label: "Job Title", typ: ftText, max: 200},
		{id: "jobnumber", label: "Job Number", typ: ftText, max: 50},
		{id: "folder", label: "Folder", typ: ftNode, list: ListJobFolders},
		{id: "joblocation", label: "Job Location", typ: ftRef, refKind: "locations"},
		{id: "assessmenttype", label: "Assessment Type", typ: ftNodes, list: c.assessmentTypes},
	}
}

func (c *customer) workflowDefs() []fieldDef {
	return []fieldDef{
		{id: "baseprofile", label: "Job", typ: ftRef, refKind: "jobs", readOnly: true},
		{id: "associatedprofile", label: "Person", typ: ftRef, refKind: "people", readOnly: true},
		{id: "status", label: "Status", typ: ftNode, list: ListWorkflowStatuses},
		{id: "source", label: "Source", typ: ftText, max: 100},
		{id: "sourcename", label: "Source Name", typ: ftNode, list: ListSources, readOnly: true},
		assessmentResultsDef(c.assessmentTypes, c.assessmentNames),
	}
}

// assessmentResultsDef is the assessment results collection of an
// applicant workflow. Its assessmentname is a node of the Assessment Type
// list or of the Assessment Name list (vendors load their packages into
// both).
func assessmentResultsDef(typesList, namesList string) fieldDef {
	return fieldDef{
		id: "assessmentresults", label: "Assessment Results", typ: ftRows,
		rows: []fieldDef{
			{id: "assessmentname", label: "Assessment Name", typ: ftNode, list: typesList, orList: namesList},
			{id: "assessmentstatus", label: "Status", typ: ftNode, list: ListAssessmentStatuses},
			{id: "assessmentscore", label: "Score", typ: ftDecimal},
			{id: "assessmentresult", label: "Result", typ: ftText, max: 128},
			{id: "assessmentnotes", label: "Notes", typ: ftText, max: 192},
			{id: "assessmentdate", label: "Date", typ: ftDateTime},
			{id: "assessmenturl", label: "URL", typ: ftURL},
		},
	}
}

// refName is the display value of a profile reference.
func (c *customer) refName(kind string, id int) string {
	switch kind {
	case "jobs":
		if j := c.jobs[id]; j != nil {
			s, _ := j.fields["jobtitle"].(string)
			return s
		}
	case "people":
		if p := c.people[id]; p != nil {
			return personName(p)
		}
	case "locations":
		return c.locations[id]
	}
	return ""
}

func personName(p *profile) string {
	first, _ := p.fields["firstname"].(string)
	last, _ := p.fields["lastname"].(string)
	return strings.TrimSpace(first + " " + last)
}

// rows returns a workflow's assessment result rows.
func rowsOf(w *profile) []*row {
	rows, _ := w.fields["assessmentresults"].([]*row)
	return rows
}
