package icims

import "strings"

// Access says whether the product reads a field from iCIMS or writes it to
// iCIMS, as iCIMS's approval asks vendors to list them.
type Access string

// The two access types of iCIMS's field list.
const (
	Read  Access = "read"
	Write Access = "write"
)

// Profile types of the field table. The first three are iCIMS's own
// profile names, as {{profileType.fieldid}} placeholders spell them.
const (
	ProfilePerson            = "person"
	ProfileJob               = "job"
	ProfileApplicantWorkflow = "applicantworkflow"
	// ProfileAssessmentResults is the assessmentresults collection on the
	// applicant workflow; its fields are the subfields of one row.
	ProfileAssessmentResults = "applicantworkflow.assessmentresults"
	ProfileLists             = "lists"
	// ProfileEvent holds the JSON keys of the events iCIMS posts to us.
	ProfileEvent = "event"
)

// FieldUse is one iCIMS field the product reads or writes. The client asks
// for, sends and decodes only fields listed by FieldUses, and a test holds
// the code to it, so the list iCIMS receives cannot drift from the code.
type FieldUse struct {
	Profile string
	// Field is the field id (a JSON key); for a Pattern, the shape of the
	// ids, such as rcf####.
	Field  string
	Access Access
	// Always marks the fields a GET of the profile always asks for, in
	// the order of its fields= list; the others are asked for only when
	// a feature needs them.
	Always bool
	// Pattern marks a family of per-customer fields, named by the
	// customer's configuration rather than by the code.
	Pattern bool
	// Placeholder is the {{profileType.fieldid}} that names the field in
	// messages iCIMS shows (it shows the field's display name); "" when
	// iCIMS has no profile field for it.
	Placeholder string
	Purpose     string
}

// FieldUses returns every iCIMS field the product reads or writes, in the
// order docs/icims-fields.md lists them. It is a function, not a variable,
// so no caller can change the table.
func FieldUses() []FieldUse {
	return []FieldUse{
		{Profile: ProfilePerson, Field: "firstname", Access: Read, Always: true,
			Purpose: "Greets the candidate in the invitation e-mail and on the assessment pages."},
		{Profile: ProfilePerson, Field: "lastname", Access: Read, Always: true,
			Purpose: "Names the candidate in the e-mail template's last-name placeholder and the admin's invitation list."},
		{Profile: ProfilePerson, Field: "email", Access: Read, Always: true,
			Purpose: "Where the invitation e-mail and its reminders go."},
		{Profile: ProfilePerson, Field: "firstname", Access: Write,
			Purpose: "Assessment-first applications: a person who applies through a shared link and is not found by e-mail is created with their name."},
		{Profile: ProfilePerson, Field: "lastname", Access: Write,
			Purpose: "Assessment-first applications: the new person's last name."},
		{Profile: ProfilePerson, Field: "email", Access: Write,
			Purpose: "Assessment-first applications: the new person's e-mail; people are first searched by it (person.email), so none is created twice."},
		{Profile: ProfilePerson, Field: "phones", Access: Write,
			Purpose: "Assessment-first applications: the phone number the person gave, as one row (phonetype Mobile, phonenumber)."},
		{Profile: ProfilePerson, Field: "source", Access: Write,
			Purpose: "Assessment-first applications: the Source the admin chose from lists.sources for the link."},
		{Profile: ProfilePerson, Field: "sourcespecifics", Access: Write,
			Purpose: "Assessment-first applications: the link's label (Source Specifics; iCIMS keeps it only for a listed Source)."},
		{Profile: ProfilePerson, Field: "resume", Access: Write,
			Purpose: "Assessment-first applications: the CV the person uploaded (PDF or DOCX), sent as PATCH people/{id}/fields/resume/binary."},
		{Profile: ProfilePerson, Field: "rcf####", Access: Write, Pattern: true,
			Purpose: "Scorecard custom fields. Each package's scorecard mapping (Admin > Catalog > a package > Scorecard fields in iCIMS) names the customer's fields and what each receives: the overall score, the verdict, a scale score or percentile, or the report link. They must exist in iCIMS before a candidate completes."},
		{Profile: ProfilePerson, Field: "rcf####", Access: Read, Pattern: true,
			Purpose: "Saving a package with a scorecard mapping searches people filtered by each mapped custom field (a search that matches nobody) to learn whether the field exists and holds numbers or text."},

		{Profile: ProfileJob, Field: "jobtitle", Access: Read, Always: true,
			Purpose: "Names the job in the invitation e-mail, the candidate pages and the admin's lists."},
		{Profile: ProfileJob, Field: "assessmenttype", Access: Read, Always: true,
			Purpose: "The packages the job asks for: nodes of the customer's Assessment Type list, mapped to packages in the catalog."},
		{Profile: ProfileJob, Field: "folder", Access: Read, Always: true,
			Purpose: "Trigger rule condition: only jobs in a given folder."},
		{Profile: ProfileJob, Field: "joblocation", Access: Read, Always: true,
			Purpose: "Read with every job so that a trigger rule's job field condition can test the location's name."},
		{Profile: ProfileJob, Field: "jobnumber", Access: Read,
			Purpose: "The job code the admin's Jobs page and job pickers show; read by the job sync with the fields above."},
		{Profile: ProfileJob, Field: "any job field id", Access: Read, Pattern: true,
			Purpose: "A trigger rule's \"job field\" condition names a field of the customer's choosing; it is read with the job only while such a rule exists."},

		{Profile: ProfileApplicantWorkflow, Field: "baseprofile", Access: Read, Always: true,
			Purpose: "The application's job, when an event names only the application."},
		{Profile: ProfileApplicantWorkflow, Field: "associatedprofile", Access: Read, Always: true,
			Purpose: "The application's candidate, when an event names only the application."},
		{Profile: ProfileApplicantWorkflow, Field: "status", Access: Read, Always: true, Placeholder: "applicantworkflow.status",
			Purpose: "The application's current stage."},
		{Profile: ProfileApplicantWorkflow, Field: "source", Access: Read,
			Purpose: "Trigger rule condition on the application's source."},
		{Profile: ProfileApplicantWorkflow, Field: "sourcename", Access: Read,
			Purpose: "Trigger rule condition on the application's source, when only Source Name is set."},
		{Profile: ProfileApplicantWorkflow, Field: "baseprofile", Access: Write,
			Purpose: "Assessment-first applications: the job of the new application (the shared link's job)."},
		{Profile: ProfileApplicantWorkflow, Field: "associatedprofile", Access: Write,
			Purpose: "Assessment-first applications: the person found or created for the application."},
		{Profile: ProfileApplicantWorkflow, Field: "source", Access: Write,
			Purpose: "Assessment-first applications: the Source the admin chose from lists.sources for the link."},
		{Profile: ProfileApplicantWorkflow, Field: "sourcename", Access: Write,
			Purpose: "Assessment-first applications: the link's label (Source Name; iCIMS keeps it only for a listed Source, else warns with code 4, shown to the admin)."},
		{Profile: ProfileApplicantWorkflow, Field: "status", Access: Write,
			Purpose: "Optional stage move after completion, when the package's write-back settings ask for one by score."},

		{Profile: ProfileAssessmentResults, Field: "assessmentname", Access: Write,
			Purpose: "The package: the node of the Assessment Type or Assessment Name list it is mapped to in the catalog."},
		{Profile: ProfileAssessmentResults, Field: "assessmentstatus", Access: Write,
			Purpose: "Sent when the invitation goes out, then In-Progress, Complete or Incomplete."},
		{Profile: ProfileAssessmentResults, Field: "assessmentscore", Access: Write,
			Purpose: "The overall score, 0 to 100."},
		{Profile: ProfileAssessmentResults, Field: "assessmentresult", Access: Write,
			Purpose: "The verdict or band, such as Recommended (at most 128 characters)."},
		{Profile: ProfileAssessmentResults, Field: "assessmentnotes", Access: Write,
			Purpose: "A short summary of the result, or why the assessment is incomplete (at most 192 characters)."},
		{Profile: ProfileAssessmentResults, Field: "assessmentdate", Access: Write,
			Purpose: "When the status last changed."},
		{Profile: ProfileAssessmentResults, Field: "assessmenturl", Access: Write,
			Purpose: "The signed link to the recruiter report."},

		{Profile: ProfileLists, Field: "lists.sources", Access: Read,
			Purpose: "The Source values an admin chooses from when sharing an assessment link for a job."},
		{Profile: ProfileLists, Field: "lists.customfields_lists", Access: Read,
			Purpose: "The customer's custom lists (they have no list id), to find the ones named Assessment Type and Assessment Name."},
		{Profile: ProfileLists, Field: "Assessment Type (C…)", Access: Read, Pattern: true,
			Purpose: "The nodes of the customer's Assessment Type list: the packages a job can ask for, which the catalog maps to JobCannon packages."},
		{Profile: ProfileLists, Field: "Assessment Name (C…)", Access: Read, Pattern: true,
			Purpose: "The nodes of the customer's Assessment Name list, which a package can be mapped to instead; the results row's assessmentname."},

		{Profile: ProfileEvent, Field: "eventType", Access: Read,
			Purpose: "Which event: WorkFlowStatusChangeEvent, AssessmentEvent; others are recorded and ignored."},
		{Profile: ProfileEvent, Field: "customerId", Access: Read,
			Purpose: "The iCIMS customer, checked against the credentials the event came with."},
		{Profile: ProfileEvent, Field: "systemId", Access: Read, Placeholder: "applicantworkflow.id",
			Purpose: "The application the event is about."},
		{Profile: ProfileEvent, Field: "jobId", Access: Read, Placeholder: "job.id",
			Purpose: "The application's job."},
		{Profile: ProfileEvent, Field: "personId", Access: Read, Placeholder: "person.id",
			Purpose: "The candidate."},
		{Profile: ProfileEvent, Field: "userId", Access: Read,
			Purpose: "The recruiter who moved the application, or the candidate finishing an application (AssessmentEvent)."},
		{Profile: ProfileEvent, Field: "oldStatus", Access: Read,
			Purpose: "The stage the application left, for rules that name it."},
		{Profile: ProfileEvent, Field: "newStatus", Access: Read, Placeholder: "applicantworkflow.status",
			Purpose: "The stage the application entered: what trigger rules react to."},
		{Profile: ProfileEvent, Field: "returnUrl", Access: Read,
			Purpose: "Where the candidate goes back to after an inline assessment."},
		{Profile: ProfileEvent, Field: "links", Access: Read,
			Purpose: "Links to the application, job, candidate and user (also read from the Link header)."},
		{Profile: ProfileEvent, Field: "links.rel", Access: Read,
			Purpose: "What a link points to: applicantWorkflow, job, person or user."},
		{Profile: ProfileEvent, Field: "links.title", Access: Read,
			Purpose: "A label shown in the logs; iCIMS's titles are generic, so names come from the profiles."},
		{Profile: ProfileEvent, Field: "links.url", Access: Read,
			Purpose: "The profile's API URL; its last segment fills an id the event left out."},
	}
}

// alwaysRead lists the fields a GET of profile always asks for.
func alwaysRead(profile string) []string {
	var out []string
	for _, f := range FieldUses() {
		if f.Profile == profile && f.Access == Read && f.Always {
			out = append(out, f.Field)
		}
	}
	return out
}

// FieldPlaceholder returns the {{profileType.fieldid}} placeholder that
// names an event's JSON key in a message iCIMS shows, or the key itself
// when iCIMS has no profile field for it.
func FieldPlaceholder(eventKey string) string {
	for _, f := range FieldUses() {
		if f.Profile == ProfileEvent && strings.EqualFold(f.Field, eventKey) && f.Placeholder != "" {
			return "{{" + f.Placeholder + "}}"
		}
	}
	return eventKey
}
