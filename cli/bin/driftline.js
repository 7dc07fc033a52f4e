#!/usr/bin/env node
'use strict';
require('../../dist/cli/src/main.js');
