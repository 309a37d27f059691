#!/usr/bin/env node
// The command npm links: a file that exists before the build, so `npm publish` from a fresh clone
// (which reads package.json before prepack builds dist/) keeps the bin entry.
import '../dist/cli.js';
