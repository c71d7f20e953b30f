// Package icimsadapter holds JobCannon's iCIMS-facing pieces above the raw
// client: what turns a tenant's stored connection and the domain's needs
// into iCIMS calls.
//
// Here live the per-tenant client pool with its pacing and holds (Pool),
// the Assessment Type and Assessment Name list lookup (Pool.AssessmentLists),
// the loading of the facts rules read and of candidates (Facts), the check
// of a scorecard mapping against the customer's fields (ScorecardCheck), and
// the Marketplace OAuth app as the install flow sees it (MarketplaceApp).
// Each implements an interface the domain, package assessments, declares.
//
// What does not live here: the HTTP client for iCIMS's REST API, its auth
// modes and pacer are package icims; the simulator tests run against is
// icims/icimstest; the River workers that call these pieces are package
// jobs, which holds them through interfaces and does not import this one.
package icimsadapter
