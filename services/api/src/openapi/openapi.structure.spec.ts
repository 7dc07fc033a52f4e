import { API_DOCUMENT } from '../models/api.openapi';
import type { OpenApiDocument } from './openapi.operations';
import { openApiProblems } from './openapi.structure';

type Doc = OpenApiDocument & Record<string, unknown>;
const errorRef = { $ref: '#/components/schemas/Error' };
const minimal = (paths: object): Doc => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: paths as Doc['paths'],
  components: { schemas: { Error: { type: 'object' } } },
});

describe('the OpenAPI document', () => {
  it('is well-formed: templates and parameters agree, errors in the error shape, every $ref resolves', () => {
    expect(openApiProblems(API_DOCUMENT as unknown as Doc)).toEqual([]);
  });

  it.each([
    [
      'a $ref to nothing',
      {
        '/a': {
          get: {
            responses: {
              '200': {
                description: 'x',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } },
              },
            },
          },
        },
      },
      '#/paths/~1a/get/responses/200/content/application~1json/schema: $ref #/components/schemas/Nope does not resolve',
    ],
    [
      'an undeclared path parameter',
      { '/a/{id}': { get: { responses: { '200': { description: 'x' } } } } },
      'get /a/{id}: path parameter id is not declared',
    ],
    [
      'a path parameter the path lacks',
      {
        '/a': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: {} }],
          get: { responses: { '200': { description: 'x' } } },
        },
      },
      'get /a: path parameter id is not in the path',
    ],
    [
      'an error outside the error shape',
      { '/a': { get: { responses: { '404': { description: 'gone' } } } } },
      'get /a 404: an error answers in the error shape (#/components/schemas/Error)',
    ],
    ['an operation without responses', { '/a': { post: { responses: {} } } }, 'post /a: no responses'],
    ['a misspelt method', { '/a': { gett: { responses: {} } } }, '/a: "gett" is not a path item field'],
  ])('finds %s', (_, paths, problem) => {
    expect(openApiProblems(minimal(paths))).toContain(problem);
  });

  it('accepts a minimal document', () => {
    const paths = {
      '/a/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: {} }],
        get: {
          responses: {
            '200': { description: 'x' },
            '404': { description: 'no', content: { 'application/json': { schema: errorRef } } },
          },
        },
      },
    };
    expect(openApiProblems(minimal(paths))).toEqual([]);
  });
});
