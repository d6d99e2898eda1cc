// Every workflow type the worker registers.
export { serviceRequest } from './service-request/workflow'
