// npm run bench: the Express identity middleware alone, in process: what posthogIdentity costs per
// request (resolve, sign, store; and the page's init script) against the createHmac middleware a
// developer would write by hand, in alternating rounds of the same run. The full HTTP bench
// (bench/express.mjs) swings by more than the difference between them; this isolates it.
import { createHmac } from 'node:crypto';
import { posthogIdentity } from '../dist/express/index.js';
import { measure, report } from './harness.mjs';

const SECRET = 'phs_bench_secret_value_0123456789';
const PAGE = { projectApiKey: 'phc_bench' };
const USERS = Array.from({ length: 5000 }, (_, i) => `user_${i}`);

const handWritten = (req, res, next) => {
  const id = req.session.userId;
  res.locals.posthogIdentity = { identity_distinct_id: id, identity_hash: createHmac('sha256', SECRET).update(id).digest('hex') };
  next();
};
const handPage = (res) =>
  `<script>posthog.init("phc_bench",${JSON.stringify({ api_host: 'https://us.i.posthog.com', ...res.locals.posthogIdentity })})</script>`;
const sdk = posthogIdentity({ secret: SECRET, getDistinctId: (req) => req.session.userId });
const next = () => {};
// Fresh request and response objects per call, as Express makes them.
const call = (middleware, i) => {
  const req = { session: { userId: USERS[i % USERS.length] }, headers: {} };
  const res = { locals: {} };
  middleware(req, res, next);
  return res;
};

// Same answer before timing.
const a = call(handWritten, 7);
const b = call(sdk, 7);
if (a.locals.posthogIdentity.identity_hash !== b.locals.posthogIdentity.identity_hash) throw new Error('the middlewares disagree');

const results = await measure(
  {
    'hand-written createHmac middleware': (i) => call(handWritten, i),
    'posthogIdentity middleware': (i) => call(sdk, i),
    'hand-written middleware + init script': (i) => handPage(call(handWritten, i)),
    'posthogIdentity + initScript': (i) => sdk.initScript(call(sdk, i), PAGE),
  },
  { rounds: 9, roundMs: 300 },
);
report('per request, in process (higher is better)', results, 'hand-written createHmac middleware', {
  'posthogIdentity middleware': 1 / 1.1,
});
const pageRatio = results['posthogIdentity + initScript'] / results['hand-written middleware + init script'];
console.log(
  `  page route: posthogIdentity + initScript at ${pageRatio.toFixed(2)}x the hand-written rate (target: cost <= 1.1x, rate >= ${(1 / 1.1).toFixed(2)}x: ${pageRatio >= 1 / 1.1 ? 'met' : 'NOT met'})`,
);
