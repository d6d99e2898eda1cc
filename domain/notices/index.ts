// Notices: the templates people read and the delivery record kept on each outbox document.
export * from './delivery'
export * from './templates'
export * from './plan'
