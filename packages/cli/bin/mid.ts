#!/usr/bin/env node
console.error("mid: not built yet");
process.exit(2);
