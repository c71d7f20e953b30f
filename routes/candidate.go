package routes

import "strconv"

const (
	candidateStart         = CandidatePrefix + "/start"
	candidateStep          = CandidatePrefix + "/step/:n"
	candidateAnswer        = CandidatePrefix + "/step/:n/answer"
	candidateReview        = CandidatePrefix + "/review"
	candidateSubmit        = CandidatePrefix + "/submit"
	candidateAccommodation = CandidatePrefix + "/accommodation"
)

// CandidateShow is the welcome page of a candidate's link.
func CandidateShow(token string) string { return fill(CandidatePrefix, token) }

// CandidateStart is where the welcome page's form posts.
func CandidateStart(token string) string { return fill(candidateStart, token) }

// CandidateStepShow is question page n.
func CandidateStepShow(token string, n int) string {
	return fill(candidateStep, token, strconv.Itoa(n))
}

// CandidateStepSave is where question page n posts its answers.
func CandidateStepSave(token string, n int) string {
	return fill(candidateStep, token, strconv.Itoa(n))
}

// CandidateAnswerSave is where question page n's script saves each answer
// as it is given, before the page's own form is sent.
func CandidateAnswerSave(token string, n int) string {
	return fill(candidateAnswer, token, strconv.Itoa(n))
}

// CandidateReviewShow is the page that checks the answers before submitting.
func CandidateReviewShow(token string) string { return fill(candidateReview, token) }

// CandidateSubmit is where the review page posts.
func CandidateSubmit(token string) string { return fill(candidateSubmit, token) }

// CandidateAccommodationShow is the accommodation request form.
func CandidateAccommodationShow(token string) string { return fill(candidateAccommodation, token) }

// CandidateAccommodationSave is where the accommodation form posts.
func CandidateAccommodationSave(token string) string { return fill(candidateAccommodation, token) }
