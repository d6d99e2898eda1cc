// The HTTP face of each service-request step: path, body schema and what the rulebook says.
import type { StepRoute } from '../case-routes'
import type { ServiceRequestAction } from '../../domain/service-request/actions'
import * as C from '../../domain/service-request/commands'
import type { steps } from '../../workflows/service-request/messages'

export type ServiceRequestStepRoute = StepRoute<keyof typeof steps & ServiceRequestAction>

export const stepRoutes: ServiceRequestStepRoute[] = [
  {
    path: 'reject',
    step: 'rejectScope',
    schema: C.RejectScope,
    summary: 'SR-02 not in after-sales scope: tell the customer why and close',
  },
  {
    path: 'contact',
    step: 'contact',
    schema: C.Contact,
    summary: 'SR-03 record the first contact with the reporter',
    optionalBody: true,
  },
  {
    path: 'classify',
    step: 'classify',
    schema: C.Classify,
    summary: 'SR-04/SR-08 classify severity A/B/C, warranty, free or paid',
  },
  {
    path: 'acknowledge',
    step: 'acknowledge',
    schema: C.Contact,
    summary: 'SR-06 the chief engineer acknowledges the urgent case',
    optionalBody: true,
  },
  {
    path: 'agreed-date',
    step: 'agreeDate',
    schema: C.AgreeDate,
    summary: 'SR-07 record the date agreed with the customer',
  },
  {
    path: 'quote',
    step: 'quote',
    schema: C.Quote,
    summary: 'SR-08 record the quote (material, labour, travel)',
  },
  {
    path: 'agreement',
    step: 'agreement',
    schema: C.Agreement,
    summary: 'SR-08 record the signed service agreement',
  },
  {
    path: 'dispatch',
    step: 'dispatch',
    schema: C.Dispatch,
    summary: 'SR-11/SR-12 dispatch engineers (off-hours need approval)',
  },
  {
    path: 'arrival',
    step: 'arrive',
    schema: C.Arrive,
    summary: 'SR-13 the engineer arrived on site',
    optionalBody: true,
  },
  {
    path: 'check-in',
    step: 'checkIn',
    schema: C.CheckIn,
    summary: 'SR-13 check-in: site situation, lodging, phone',
  },
  {
    path: 'progress',
    step: 'progress',
    schema: C.Progress,
    summary: 'SR-14 daily progress report; urgent problems reach the supervisor',
  },
  {
    path: 'site-changes',
    step: 'siteChange',
    schema: C.SiteChange,
    summary: 'SR-10 a technical change agreed by the project manager',
  },
  {
    path: 'parts',
    step: 'requestParts',
    schema: C.PartsRequest,
    summary: 'SR-09 after-sales processing form for parts',
  },
  {
    path: 'parts/review',
    step: 'reviewParts',
    schema: C.PartsReview,
    summary: 'SR-09 technical review approves or rejects the parts',
  },
  {
    path: 'parts/lead-time',
    step: 'recordLeadTime',
    schema: C.LeadTime,
    summary: 'SR-09 procurement records the lead time',
  },
  {
    path: 'parts/shipment',
    step: 'shipParts',
    schema: C.PartsShipment,
    summary: 'SR-09 shipped with a packing list',
  },
  {
    path: 'parts/delivery',
    step: 'partsDelivered',
    schema: C.Arrive,
    summary: 'SR-09 parts delivered',
    optionalBody: true,
  },
  {
    path: 'acceptance',
    step: 'acceptance',
    schema: C.Acceptance,
    summary: 'SR-15 acceptance signed and stamped, or refused with cause analysis',
  },
  {
    path: 'departure',
    step: 'leaveSite',
    schema: C.LeaveSite,
    summary: 'SR-16 planned return date before leaving',
  },
  {
    path: 'take-back',
    step: 'takeBack',
    schema: C.TakeBack,
    summary: 'SR-17 taken back for repair, receipt issued',
  },
  {
    path: 'repair-returned',
    step: 'repairReturned',
    schema: C.RepairReturned,
    summary: 'SR-17 repaired, tested and returned',
  },
  {
    path: 'scrap',
    step: 'proposeScrap',
    schema: C.ProposeScrap,
    summary: 'SR-17 propose scrapping the product',
  },
  {
    path: 'scrap/decision',
    step: 'decideScrap',
    schema: C.ScrapDecision,
    summary: 'SR-17 leadership approves or refuses scrap',
  },
  { path: 'replacement', step: 'replacement', schema: C.Replacement, summary: 'SR-17 replacement delivered' },
  { path: 'payment', step: 'payment', schema: C.Payment, summary: 'SR-08 payment received' },
  { path: 'survey', step: 'survey', schema: C.Survey, summary: 'SR-18 satisfaction survey' },
  {
    path: 'major-accident',
    step: 'raiseAccident',
    schema: C.MajorAccident,
    summary: 'SR-19 raise to a major quality accident',
  },
  {
    path: 'major-accident/report',
    step: 'accidentReport',
    schema: C.AccidentReport,
    summary: 'SR-19 the accident report with impact assessment',
  },
  {
    path: 'major-accident/decision',
    step: 'decideAccidentReport',
    schema: C.AccidentReportDecision,
    summary: 'SR-19 leadership approves or returns the report',
  },
  {
    path: 'deadlines',
    step: 'moveDeadline',
    schema: C.MoveDeadline,
    summary: 'Move a deadline (recorded, supervisor only)',
  },
]
