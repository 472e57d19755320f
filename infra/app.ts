#!/usr/bin/env node
// Entry of the CDK app (cdk.json: `npx tsx infra/app.ts`). The CLI synthesizes the app when this process exits.
import { createApp } from './crm-merge-app';

createApp();
