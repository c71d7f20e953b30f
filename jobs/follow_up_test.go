package jobs

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jobcannon/jobcannon/assessments"
	"github.com/jobcannon/jobcannon/icims/icimstest"
	"github.com/jobcannon/jobcannon/jobs/jobargs"
	"github.com/jobcannon/jobcannon/storage"
)

// capture reads the follow-up jobs the store queued, as River hands
// their arguments to the worker.
type capture struct{ args []river.JobArgs }

func (c *capture) load(t *testing.T, db *storage.DB) {
	t.Helper()
	c.args = nil
	rows, err := db.R.Query(`SELECT json(args) FROM river_job WHERE kind = 'rule_follow_up' ORDER BY id`)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var raw []byte
		require.NoError(t, rows.Scan(&raw))
		var a jobargs.FollowUpArgs
		require.NoError(t, json.Unmarshal(raw, &a))
		c.args = append(c.args, a)
	}
	require.NoError(t, rows.Err())
}

// movesOf records the workflow moves the worker hands the store.
type movesOf struct {
	assessments.FollowUpStore
	moves *[]assessments.WorkflowMove
}

func (m movesOf) CreateFollowUp(ctx context.Context, from assessments.Invitation, ruleID int64, n *assessments.NewInvitation,
	move *assessments.WorkflowMove) (assessments.Invitation, error) {
	if move != nil {
		*m.moves = append(*m.moves, *move)
	}
	return m.FollowUpStore.CreateFollowUp(ctx, from, ruleID, n, move)
}

func TestFollowUpSendsTheSecondPackageAndQueuesTheMove(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		verdict string
		move    string
	}{
		{assessments.VerdictRecommended, icimstest.StatusOffer},
		{assessments.VerdictNotRecommended, icimstest.StatusRejected},
	} {
		t.Run(c.verdict, func(t *testing.T) {
			h := newHarness(t)
			lib, err := assessments.BuiltinInstruments()
			require.NoError(t, err)
			second, err := h.catalog.SavePackage(ctx, lib, assessments.Package{TenantID: h.tenant.ID, Name: "Reasoning",
				InstrumentIDs: []string{"reasoning"}, AssessmentTypeID: icimstest.AssessmentReasoning, Enabled: true})
			require.NoError(t, err)
			rule, err := h.rules.SaveRule(ctx, assessments.Actor{Email: "test"}, assessments.Rule{TenantID: h.tenant.ID, Name: "Workflow",
				Mode: assessments.RuleWorkflow, Enabled: true, PackageID: h.pkg.ID,
				Conditions: assessments.RuleConditions{Statuses: []assessments.StatusPair{{To: icimstest.StatusInterview}}},
				FollowUp: assessments.FollowUp{SecondPackageID: second.ID, MoveIfRecommended: icimstest.StatusOffer,
					MoveOtherwise: icimstest.StatusRejected}})
			require.NoError(t, err)
			queued := &capture{}

			res, err := h.events.Dispatch(ctx, assessments.Dispatch{TenantID: h.tenant.ID, DeliveryID: h.deliver(icimstest.USPerson1),
				RuleID: rule.ID, Invitations: []assessments.NewInvitation{{TenantID: h.tenant.ID, PackageID: h.pkg.ID, WorkflowID: "3001",
					PersonID: "1001", CandidateEmail: "avery.brooks@example.com", CandidateFirstName: "Avery"}}})
			require.NoError(t, err)
			inv := res.Created[0]
			_, err = h.db.W.Exec(`INSERT INTO results (tenant_id, invitation_id, package_id, overall, verdict, summary, completed_at)
				VALUES (?, ?, ?, 80, ?, '', ?)`, h.tenant.ID, inv.ID, h.pkg.ID, c.verdict, time.Now().UTC())
			require.NoError(t, err)
			for _, s := range []assessments.InvitationStatus{assessments.StatusOpened, assessments.StatusInProgress} {
				_, err = h.invitations.Transition(ctx, h.tenant.ID, inv.ID, s, "test")
				require.NoError(t, err)
				queued.load(t, h.db)
				assert.Empty(t, queued.args, "nothing before completion")
			}
			_, err = h.invitations.Transition(ctx, h.tenant.ID, inv.ID, assessments.StatusCompleted, "test")
			require.NoError(t, err)
			queued.load(t, h.db)
			require.Equal(t, []river.JobArgs{jobargs.FollowUpArgs{TenantID: h.tenant.ID, InvitationID: inv.ID}}, queued.args,
				"the follow-up is queued with the completion")

			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			var moves []assessments.WorkflowMove
			w := &FollowUpWorker{Store: movesOf{FollowUpStore: h.events, moves: &moves}, Rules: h.rules, Invitations: h.invitations, Log: log}
			job := &river.Job[jobargs.FollowUpArgs]{JobRow: &rivertype.JobRow{Attempt: 1}, Args: queued.args[0].(jobargs.FollowUpArgs)}
			require.NoError(t, w.Work(ctx, job))
			require.Len(t, moves, 1)
			assert.Equal(t, assessments.WorkflowMove{TenantID: h.tenant.ID, WorkflowID: "3001", StatusID: c.move, InvitationID: inv.ID,
				RuleID: rule.ID, Verdict: c.verdict}, moves[0])
			assert.Equal(t, int64(2), h.sent.Load(), "the second package's e-mail is queued")
			var secondLive int
			require.NoError(t, h.db.R.QueryRow(`SELECT COUNT(*) FROM invitations i JOIN routed_invitations r ON r.invitation_id = i.id
				WHERE i.package_id = ? AND r.follow_up_of = ?`, second.ID, inv.ID).Scan(&secondLive))
			assert.Equal(t, 1, secondLive)
		})
	}
}
