package icimstest

import (
	"fmt"
	"strings"
)

// Seeded customers.
const (
	// CustomerUS is the seeded US customer with three jobs and twelve
	// candidates.
	CustomerUS = "1234"
	// CustomerEU is the seeded EU customer with one job and three
	// candidates, there to prove that customers never see each other.
	CustomerEU = "5678"
)

// The Marketplace OAuth app and its scopes.
const (
	// ClientID is the client id of the JobCannon Marketplace app.
	ClientID = "jobcannon-sandbox"
	// ClientSecret is the JobCannon Marketplace app's secret.
	ClientSecret = "sandbox-secret"
	// ScopeProfileRead lets a token read people, jobs, workflows, lists
	// and search.
	ScopeProfileRead = "candidate_profile:read"
	// ScopeProfileWrite lets a token create and change people.
	ScopeProfileWrite = "candidate_profile:write"
	// ScopeAssessmentWrite lets a token write assessment result rows and
	// move a workflow's status.
	ScopeAssessmentWrite = "assessment_delivery:write"
	// ScopeScorecardWrite lets a token write rcf… scorecard fields.
	ScopeScorecardWrite = "scorecard:write"
	// Scopes is every scope the app asks for, space separated.
	Scopes = ScopeProfileRead + " " + ScopeProfileWrite + " " + ScopeAssessmentWrite + " " + ScopeScorecardWrite
	// Audience is the audience a client-credentials request must name.
	Audience = "https://api.icims.com/v1/"
	// CodeTokenLifetime is expires_in, in seconds, of tokens from the
	// authorization code and refresh grants (two years).
	CodeTokenLifetime = 63072000
	// ClientCredentialsLifetime is expires_in, in seconds, of
	// client-credentials tokens.
	ClientCredentialsLifetime = 86400
)

// BasicUser is customer cid's integration user for Basic auth.
func BasicUser(cid string) string { return "api-" + cid }

// BasicPassword is BasicUser's password.
func BasicPassword(cid string) string { return "basic-secret-" + cid }

// HMACUser is customer cid's HMAC user.
func HMACUser(cid string) string { return "hmac-" + cid }

// HMACKey is HMACUser's key (the bytes of the UTF-8 string).
func HMACKey(cid string) []byte { return []byte("hmac-key-" + cid) }

// CCClientID is customer cid's client-credentials client id.
func CCClientID(cid string) string { return "cc-" + cid }

// CCClientSecret is CCClientID's secret.
func CCClientSecret(cid string) string { return "cc-secret-" + cid }

// List ids of the seeded lists, as served by GET /v2/lists/{listId}.
const (
	ListSources            = "lists.sources"
	ListJobFolders         = "lists.job.folders"
	ListWorkflowStatuses   = "lists.applicantworkflow.status"
	ListAssessmentStatuses = "lists.assessmentresults.status"
	// ListCustomLists is the standard list whose children are the
	// customer's custom lists: a custom list has no list id of its own and
	// is read by its node id.
	ListCustomLists = "lists.customfields_lists"
	// ListAssessmentTypes is the US customer's Assessment Type custom list
	// (a child of ListCustomLists, read by this node id).
	ListAssessmentTypes = "C41000"
	// ListAssessmentNames is the US customer's Assessment Name custom list.
	ListAssessmentNames = "C42000"
	// ListVeteranStatus is a custom list of the US customer that has
	// nothing to do with assessments, so discovery must pick by name.
	ListVeteranStatus = "C43000"
	// ListAssessmentTypesEU is the EU customer's Assessment Type list.
	ListAssessmentTypesEU = "C61000"
	// ListAssessmentNamesEU is the EU customer's Assessment Name list.
	ListAssessmentNamesEU = "C62000"
)

// Assessment Type nodes (US, then EU).
const (
	AssessmentBigFive     = "C41001" // Big Five Work Personality
	AssessmentWorkStyle   = "C41002" // Work Style Profile
	AssessmentReasoning   = "C41003" // Reasoning
	AssessmentBigFiveEU   = "C61001" // Big Five Work Personality
	AssessmentReasoningEU = "C61002" // Reasoning
)

// Assessment Name nodes (US, then EU): the vendor loads the same packages
// into this list too, and a results row's assessmentname may be a node of
// either list.
const (
	AssessmentNameBigFive     = "C42001" // Big Five Work Personality
	AssessmentNameWorkStyle   = "C42002" // Work Style Profile
	AssessmentNameReasoning   = "C42003" // Reasoning
	AssessmentNameBigFiveEU   = "C62001" // Big Five Work Personality
	AssessmentNameReasoningEU = "C62002" // Reasoning
)

// Assessment result status nodes (system nodes, the same everywhere).
const (
	AssessmentSent       = "D37002019004"
	AssessmentInProgress = "D37002019003"
	AssessmentComplete   = "D37002019001"
	AssessmentIncomplete = "D37002019002"
)

// Workflow status nodes of the US customer.
const (
	StatusNewSubmission   = "C51001"
	StatusReviewed        = "C51002"
	StatusAssessment      = "C51003"
	StatusRecruiterReview = "C51004" // Assessment - Recruiter Review
	StatusInterview       = "C51005"
	StatusOffer           = "C51006"
	StatusHired           = "C51007"
	StatusRejected        = "C51008"
	StatusWithdrew        = "C51009"
)

// Workflow status nodes of the EU customer.
const (
	StatusNewSubmissionEU   = "C71001"
	StatusAssessmentEU      = "C71002"
	StatusRecruiterReviewEU = "C71003"
	StatusInterviewEU       = "C71004"
	StatusRejectedEU        = "C71005"
)

// Source nodes of the US customer (the EU customer has Job Board and
// Agency with ids C82001 and C82002).
const (
	SourceJobBoard    = "C52001"
	SourceAgency      = "C52002"
	SourceReferral    = "C52003"
	SourceCareerSite  = "C52004"
	SourceSocialMedia = "C52005"
)

// Scorecard custom fields on the person, seeded for both customers.
const (
	FieldAssessmentScore   = "rcf3001" // decimal, "Assessment Score"
	FieldAssessmentVerdict = "rcf3002" // text, "Assessment Verdict"
)

// Jobs, people and applicant workflows of the US customer. USWorkflowN
// links USPersonN to USJob((N-1)%3+1); every person has a résumé except
// USPerson12. USRecruiter is the user who moves candidates.
const (
	USJob1 = 2001 // Account Executive, Big Five + Reasoning
	USJob2 = 2002 // Customer Support Specialist, Work Style
	USJob3 = 2003 // Data Analyst, Reasoning

	USPerson1  = 1001
	USPerson2  = 1002
	USPerson3  = 1003
	USPerson4  = 1004
	USPerson5  = 1005
	USPerson6  = 1006
	USPerson7  = 1007
	USPerson8  = 1008
	USPerson9  = 1009
	USPerson10 = 1010
	USPerson11 = 1011
	USPerson12 = 1012

	USWorkflow1  = 3001
	USWorkflow2  = 3002
	USWorkflow3  = 3003
	USWorkflow4  = 3004
	USWorkflow5  = 3005
	USWorkflow6  = 3006
	USWorkflow7  = 3007
	USWorkflow8  = 3008
	USWorkflow9  = 3009
	USWorkflow10 = 3010
	USWorkflow11 = 3011
	USWorkflow12 = 3012

	USRecruiter = 900
)

// Jobs, people and applicant workflows of the EU customer; EUWorkflowN
// links EUPersonN to EUJob1.
const (
	EUJob1      = 2501 // Software Engineer, Big Five + Reasoning
	EUPerson1   = 1501
	EUPerson2   = 1502
	EUPerson3   = 1503
	EUWorkflow1 = 3501
	EUWorkflow2 = 3502
	EUWorkflow3 = 3503
	EURecruiter = 950
)

func seedCustomers() []*customer {
	return []*customer{seedUS(), seedEU()}
}

func newCustomer(id, name, region string) *customer {
	return &customer{
		id: id, name: name, region: region,
		people:    map[int]*profile{},
		jobs:      map[int]*profile{},
		workflows: map[int]*profile{},
		resumes:   map[int]*file{},
		locations: map[int]string{},
		customFields: []fieldDef{
			{id: FieldAssessmentScore, label: "Assessment Score", typ: ftDecimal},
			{id: FieldAssessmentVerdict, label: "Assessment Verdict", typ: ftText, max: 128},
		},
	}
}

// ListPhoneTypes is iCIMS's list of phone types, the phonetype of a
// person's phones rows.
const ListPhoneTypes = "lists.phone_type"

func phoneTypeList() *list {
	return &list{id: ListPhoneTypes, name: "Phone Type", nodes: []node{
		{"D84002", "Home"}, {"D84003", "Work"}, {"D84004", "Mobile"},
	}}
}

func assessmentStatusList() *list {
	return &list{id: ListAssessmentStatuses, name: "Assessment Status", nodes: []node{
		{AssessmentComplete, "Complete"},
		{AssessmentIncomplete, "Incomplete"},
		{AssessmentInProgress, "In-Progress"},
		{AssessmentSent, "Sent"},
	}}
}

func seedUS() *customer { return seedUSLike(CustomerUS, "Acme Corporation") }

// seedUSLike is a customer set up as the seeded US one (its lists, jobs,
// statuses and candidates, at the same ids) under another id and name.
func seedUSLike(id, name string) *customer {
	c := newCustomer(id, name, "US")
	c.lists = []*list{
		{id: ListSources, name: "Sources", nodes: []node{
			{SourceJobBoard, "Job Board"}, {SourceAgency, "Agency"}, {SourceReferral, "Referral"},
			{SourceCareerSite, "Career Site"}, {SourceSocialMedia, "Social Media"},
		}},
		{id: ListJobFolders, name: "Job Folders", nodes: []node{
			{"C53001", "Approved"}, {"C53002", "Draft"}, {"C53003", "Closed"},
		}},
		{id: ListWorkflowStatuses, name: "Applicant Workflow Status", nodes: []node{
			{StatusNewSubmission, "New Submission"},
			{StatusReviewed, "Reviewed"},
			{StatusAssessment, "Assessment"},
			{StatusRecruiterReview, "Assessment - Recruiter Review"},
			{StatusInterview, "Interview"},
			{StatusOffer, "Offer"},
			{StatusHired, "Hired"},
			{StatusRejected, "Rejected"},
			{StatusWithdrew, "Withdrew"},
		}},
		assessmentStatusList(),
		phoneTypeList(),
	}
	c.customLists = []*list{
		{id: ListVeteranStatus, name: "Veteran Status", nodes: []node{
			{"C43001", "Protected veteran"}, {"C43002", "Not a protected veteran"},
		}},
		{id: ListAssessmentTypes, name: "Assessment Type", nodes: []node{
			{AssessmentBigFive, "Big Five Work Personality"},
			{AssessmentWorkStyle, "Work Style Profile"},
			{AssessmentReasoning, "Reasoning"},
		}},
		{id: ListAssessmentNames, name: "Assessment Name", nodes: []node{
			{AssessmentNameBigFive, "Big Five Work Personality"},
			{AssessmentNameWorkStyle, "Work Style Profile"},
			{AssessmentNameReasoning, "Reasoning"},
		}},
	}
	c.locations = map[int]string{101: "Boston, MA", 102: "Austin, TX", 103: "Remote, US"}
	approved := node{"C53001", "Approved"}
	types := c.list(ListAssessmentTypes)
	pick := func(ids ...string) []node {
		var out []node
		for _, id := range ids {
			n, _ := types.node(id)
			out = append(out, n)
		}
		return out
	}
	c.jobs[USJob1] = &profile{id: USJob1, fields: map[string]any{
		"jobtitle": "Account Executive", "jobnumber": "SAL-101", "folder": approved, "joblocation": 101,
		"assessmenttype": pick(AssessmentBigFive, AssessmentReasoning),
	}}
	c.jobs[USJob2] = &profile{id: USJob2, fields: map[string]any{
		"jobtitle": "Customer Support Specialist", "jobnumber": "CS-102", "folder": approved, "joblocation": 102,
		"assessmenttype": pick(AssessmentWorkStyle),
	}}
	c.jobs[USJob3] = &profile{id: USJob3, fields: map[string]any{
		"jobtitle": "Data Analyst", "jobnumber": "DA-103", "folder": approved, "joblocation": 103,
		"assessmenttype": pick(AssessmentReasoning),
	}}
	names := [][2]string{
		{"Avery", "Brooks"}, {"Blake", "Carter"}, {"Casey", "Diaz"}, {"Devon", "Ellis"},
		{"Emery", "Fox"}, {"Finley", "Grant"}, {"Harper", "Hayes"}, {"Jordan", "Irwin"},
		{"Kendall", "James"}, {"Logan", "Kim"}, {"Morgan", "Lee"}, {"Parker", "Moss"},
	}
	sources := []node{{SourceJobBoard, "Job Board"}, {SourceAgency, "Agency"}, {SourceReferral, "Referral"}}
	newSubmission := node{StatusNewSubmission, "New Submission"}
	for i, n := range names {
		pid, wid, jid := USPerson1+i, USWorkflow1+i, USJob1+i%3
		addSeedPerson(c, pid, n[0], n[1], pid != USPerson12)
		src := sources[i%len(sources)]
		c.workflows[wid] = &profile{id: wid, fields: map[string]any{
			"baseprofile": jid, "associatedprofile": pid, "status": newSubmission,
			"source": src.Value, "sourcename": src,
		}}
	}
	addSeedPerson(c, USRecruiter, "Riley", "Recruiter", false)
	c.recruiterID = USRecruiter
	c.assessmentTypes, c.assessmentNames = ListAssessmentTypes, ListAssessmentNames
	c.nextPerson, c.nextJob, c.nextWorkflow, c.nextEntry = USPerson12+1, USJob3+1, USWorkflow12+1, 7001
	return c
}

func seedEU() *customer {
	c := newCustomer(CustomerEU, "Beispiel GmbH", "EU")
	c.lists = []*list{
		{id: ListSources, name: "Sources", nodes: []node{{"C82001", "Job Board"}, {"C82002", "Agency"}}},
		{id: ListJobFolders, name: "Job Folders", nodes: []node{{"C83001", "Approved"}}},
		{id: ListWorkflowStatuses, name: "Applicant Workflow Status", nodes: []node{
			{StatusNewSubmissionEU, "New Submission"},
			{StatusAssessmentEU, "Assessment"},
			{StatusRecruiterReviewEU, "Assessment - Recruiter Review"},
			{StatusInterviewEU, "Interview"},
			{StatusRejectedEU, "Rejected"},
		}},
		assessmentStatusList(),
		phoneTypeList(),
	}
	c.customLists = []*list{
		{id: ListAssessmentTypesEU, name: "Assessment Type", nodes: []node{
			{AssessmentBigFiveEU, "Big Five Work Personality"},
			{AssessmentReasoningEU, "Reasoning"},
		}},
		{id: ListAssessmentNamesEU, name: "Assessment Name", nodes: []node{
			{AssessmentNameBigFiveEU, "Big Five Work Personality"},
			{AssessmentNameReasoningEU, "Reasoning"},
		}},
	}
	c.locations = map[int]string{151: "Berlin, DE"}
	c.jobs[EUJob1] = &profile{id: EUJob1, fields: map[string]any{
		"jobtitle": "Software Engineer", "jobnumber": "ENG-201", "folder": node{"C83001", "Approved"}, "joblocation": 151,
		"assessmenttype": []node{{AssessmentBigFiveEU, "Big Five Work Personality"}, {AssessmentReasoningEU, "Reasoning"}},
	}}
	names := [][2]string{{"Amelie", "Dubois"}, {"Lukas", "Schmidt"}, {"Sofia", "Rossi"}}
	for i, n := range names {
		pid, wid := EUPerson1+i, EUWorkflow1+i
		addSeedPerson(c, pid, n[0], n[1], true)
		c.workflows[wid] = &profile{id: wid, fields: map[string]any{
			"baseprofile": EUJob1, "associatedprofile": pid,
			"status": node{StatusNewSubmissionEU, "New Submission"},
			"source": "Job Board", "sourcename": node{"C82001", "Job Board"},
		}}
	}
	addSeedPerson(c, EURecruiter, "Mia", "Becker", false)
	c.recruiterID = EURecruiter
	c.assessmentTypes, c.assessmentNames = ListAssessmentTypesEU, ListAssessmentNamesEU
	c.nextPerson, c.nextJob, c.nextWorkflow, c.nextEntry = EUPerson3+1, EUJob1+1, EUWorkflow3+1, 8001
	return c
}

func addSeedPerson(c *customer, id int, first, last string, withResume bool) {
	email := strings.ToLower(first + "." + last + "@example.com")
	c.people[id] = &profile{id: id, fields: map[string]any{
		"firstname": first, "lastname": last, "email": email,
	}}
	if withResume {
		c.resumes[id] = &file{
			name:        strings.ToLower(first+"-"+last) + "-cv.txt",
			contentType: "text/plain; charset=utf-8",
			data: fmt.Appendf(nil, "Curriculum vitae\n\n%s %s\n%s\n\nExperience: five years in roles like the one applied for.\n",
				first, last, email),
		}
	}
}
