import { jsonObjects } from './json.objects';

const texts = (raw: Buffer) => jsonObjects(raw)?.map((b) => b.toString('utf8')) ?? null;

describe('jsonObjects', () => {
  it('gives the bytes of each object of an array, strings holding brackets, quotes and escapes included', () => {
    const objects = [
      '{"a":"}]{[","b":[1,{"c":"\\"}"}]}',
      '{"path":"C:\\\\","é":"ü 😀"}',
      '{ "nested" : { "x" : [ [ ] , { } ] } }',
    ];
    const raw = Buffer.from(` \n[ ${objects[0]},${objects[1]} ,\r\n\t${objects[2]} ] \n`);
    expect(texts(raw)).toEqual(objects);
    expect(texts(raw)?.map((t) => JSON.parse(t))).toEqual(JSON.parse(raw.toString('utf8')));
  });

  it('reads one object, an empty array and a UTF-8 byte order mark', () => {
    expect(texts(Buffer.from(' {"a":1} '))).toEqual(['{"a":1}']);
    expect(texts(Buffer.from('[ ]'))).toEqual([]);
    expect(texts(Buffer.from('\ufeff[{"a":1}]'))).toEqual(['{"a":1}']);
  });

  it('gives null for other charsets, invalid UTF-8 and anything but objects at the top', () => {
    expect(jsonObjects(Buffer.from('[{"a":1}]', 'utf16le'))).toBeNull();
    expect(
      jsonObjects(Buffer.concat([Buffer.from('[{"a":"'), Buffer.from([0xff]), Buffer.from('"}]')])),
    ).toBeNull();
    expect(jsonObjects(Buffer.from('[{"a":1}, 2]'))).toBeNull();
    expect(jsonObjects(Buffer.from('"text"'))).toBeNull();
    expect(jsonObjects(Buffer.from('[[{"a":1}]]'))).toBeNull();
    expect(jsonObjects(Buffer.from('{"a":1'))).toBeNull();
  });
});
