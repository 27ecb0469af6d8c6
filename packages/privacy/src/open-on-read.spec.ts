import { openOnRead } from './open-on-read';

interface Row {
  id: string;
  description: string | null;
  photos: string[] | null;
}

describe('openOnRead (sealed words decrypted when read)', () => {
  it('opens nothing until the field is read, then once', () => {
    const row: Row = { id: 'c1', description: 'sealed', photos: null };
    const open = jest.fn(() => 'choc arrière au parking');
    openOnRead(row, 'description', open);
    expect(row.id).toBe('c1');
    expect(open).not.toHaveBeenCalled();
    expect(row.description).toBe('choc arrière au parking');
    expect(row.description).toBe('choc arrière au parking');
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('a write before any read replaces the value without opening it', () => {
    const row: Row = { id: 'c1', description: 'sealed', photos: null };
    const open = jest.fn(() => 'old words');
    openOnRead(row, 'description', open);
    row.description = 'new words';
    expect(row.description).toBe('new words');
    expect(open).not.toHaveBeenCalled();
    row.description = null;
    expect(row.description).toBeNull();
  });

  it('reads as a plain property when spread, compared, serialized or listed', () => {
    const row: Row = { id: 'c1', description: 'sealed', photos: ['sealed'] };
    openOnRead(row, 'description', () => 'words');
    openOnRead(row, 'photos', () => ['https://photos.example.fr/1.jpg']);
    expect(Object.keys(row)).toEqual(['id', 'description', 'photos']);
    expect({ ...row }).toEqual({
      id: 'c1',
      description: 'words',
      photos: ['https://photos.example.fr/1.jpg'],
    });
    expect(row).toEqual({ id: 'c1', description: 'words', photos: ['https://photos.example.fr/1.jpg'] });
    expect(JSON.parse(JSON.stringify(row))).toEqual({
      id: 'c1',
      description: 'words',
      photos: ['https://photos.example.fr/1.jpg'],
    });
  });

  it("a failure to open is the reader of the field's, each time it is read", () => {
    const row: Row = { id: 'c1', description: 'tampered', photos: null };
    openOnRead(row, 'description', () => {
      throw new Error('CIPHERTEXT: authentication failed');
    });
    expect(row.id).toBe('c1');
    expect(() => row.description).toThrow('CIPHERTEXT: authentication failed');
    expect(() => row.description).toThrow('CIPHERTEXT: authentication failed');
  });
});
