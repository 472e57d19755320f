/** Written into every report so an auditor knows which engine produced it. */
export const REPORT_VERSION = 'crm-merge 0.1.0';
