import pino from '/work/main/node_modules/.pnpm/pino@10.4.0/node_modules/pino/pino.js';
import type { LoggerLike } from '../src/logger.ts';
const logger = pino();
const l: LoggerLike = logger;
l.child({ a: 1 }).info({ x: 1 }, 'hi');
