/** The one password every demo account shares; shown on the sign-in page in demo mode only. */
export const DEMO_PASSWORD = 'direct-payments';
