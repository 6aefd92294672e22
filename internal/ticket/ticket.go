// Package ticket models service-desk tickets (工单): intake by portal, phone, e-mail, API, monitoring and
// IM; first-contact ownership (首问负责制); dispatch and escalation through the three support lines; and
// closure with confirmation and a satisfaction survey.
package ticket

import "time"

// Type is the kind of request.
type Type string

const (
	Incident     Type = "incident"     // 故障
	Request      Type = "request"      // 服务请求
	Consultation Type = "consultation" // 咨询
	Complaint    Type = "complaint"    // 投诉
)

// Types lists the ticket types in display order.
var Types = []Type{Incident, Request, Consultation, Complaint}

// Prefix is the number prefix of a type: INC-2026-000123.
func (t Type) Prefix() string {
	switch t {
	case Incident:
		return "INC"
	case Request:
		return "REQ"
	case Consultation:
		return "CON"
	case Complaint:
		return "CMP"
	}
	return ""
}

// Channel is how a request came in.
type Channel string

const (
	Portal     Channel = "portal"
	Phone      Channel = "phone"
	Email      Channel = "email"
	API        Channel = "api"
	Monitoring Channel = "monitoring"
	IM         Channel = "im"
)

// Channels lists the intake channels.
var Channels = []Channel{Portal, Phone, Email, API, Monitoring, IM}

// Ticket is one request from intake to closure.
type Ticket struct {
	ID          int64
	Number      string // INC-2026-000123
	Type        Type
	Status      Status
	Pending     PendingReason // set while Status is Pending
	Channel     Channel
	Subject     string
	Description string
	CategoryID  int64
	Urgency     Level
	Impact      Level
	Priority    Priority // from Urgency × Impact through the matrix
	// Requester is a user, or an external contact when RequesterID is 0.
	RequesterID    int64
	ContactName    string
	ContactPhone   string
	ContactEmail   string // an external caller's address (mail intake); notices to the requester go there
	ContactDept    string
	OwnerID        int64 // 首问责任人: the agent who took the request; never removed
	GroupID        int64
	AssigneeID     int64
	Location       string
	AffectedSystem string // free text until the CMDB links configuration items
	Confidential   bool   // only named people see it (保密)
	OrgPath        string // the requester's organisation path, for scoping
	Tier           int    // support line now working it: 1, 2 or 3 (from the group)
	UrgeCount      int    // 催办 count
	ReopenCount    int
	SkipFlag       bool   // an emergency skip escalation (越级) happened: reviewed in reports
	Cause          string // resolution: cause (原因)
	Solution       string // resolution: solution (解决方法)
	Workaround     string // 替代措施, while the real fix is pending
	CancelReason   string
	MinutesSpent   int         // sum of the time recorded on comments
	ServiceMode    ServiceMode // remote or on-site
	Watchers       []int64     // followers; on a confidential ticket the named people who may see it
	SLADue         time.Time   // the resolution due time of its SLA clock (zero without a policy)
	SLAState       string      // the worst state of its SLA clocks: within, warning, breached, met, missed
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ResolvedAt     time.Time
	ClosedAt       time.Time
	Version        int
}

// ServiceMode says whether the work is done remotely or at the requester's desk.
type ServiceMode string

const (
	Remote ServiceMode = "remote" // 远程
	OnSite ServiceMode = "onsite" // 现场
)
