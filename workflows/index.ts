// Every workflow type the worker registers.
export { serviceRequest } from './service-request/workflow'
export { returnRequest } from './return-request/workflow'
export { complaint } from './complaint/workflow'
export { correctiveAction } from './corrective-action/workflow'
export { deliverNotice } from './delivery/workflow'
export { keyAccountCallbacks } from './key-account-callbacks/workflow'
export { surveyCampaign } from './survey-campaign/workflow'
export { monthlyReport } from './monthly-report/workflow'
