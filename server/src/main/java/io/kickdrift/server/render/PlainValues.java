package io.kickdrift.server.render;

import freemarker.template.ObjectWrapper;
import freemarker.template.SimpleCollection;
import freemarker.template.SimpleNumber;
import freemarker.template.SimpleScalar;
import freemarker.template.TemplateBooleanModel;
import freemarker.template.TemplateCollectionModel;
import freemarker.template.TemplateHashModel;
import freemarker.template.TemplateHashModelEx2;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateSequenceModel;
import io.kickdrift.server.inventory.Distro;
import io.kickdrift.server.inventory.EffectiveProfile;
import io.kickdrift.server.inventory.Repo;
import io.kickdrift.server.inventory.Server;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What templates see of Java values, and all they see: strings, numbers, booleans, enum constants
 * (as their name), lists, maps with string keys, and the models below as hashes of their record
 * components. No methods, no classes, no constructors, nothing else: a value of any other type is
 * an error where a template reaches it. So a template, or a value a template evaluates, cannot
 * reach Java through the data (DefaultObjectWrapper exposes {@code getClass()} and every public
 * method). Nothing is copied: each value is wrapped when a template reads it, as Freemarker's own
 * wrapper does.
 */
final class PlainValues implements ObjectWrapper {
  static final PlainValues INSTANCE = new PlainValues();

  /** The records templates may read, each as a hash of its components. */
  private static final Map<Class<?>, Map<String, Method>> RECORDS =
      components(
          SiteModel.class,
          HostModel.class,
          NicModel.class,
          SubnetModel.class,
          SubnetModel.Reservation.class,
          ZoneModel.class,
          ZoneModel.Entry.class,
          BootImage.class,
          DesiredModel.class,
          DesiredModel.FileModel.class,
          Distro.class,
          EffectiveProfile.class,
          Server.class,
          Repo.class);

  private PlainValues() {}

  private static Map<Class<?>, Map<String, Method>> components(Class<?>... records) {
    Map<Class<?>, Map<String, Method>> all = new LinkedHashMap<>();
    for (Class<?> record : records) {
      Map<String, Method> accessors = new LinkedHashMap<>();
      for (RecordComponent c : record.getRecordComponents()) {
        accessors.put(c.getName(), c.getAccessor());
      }
      all.put(record, Map.copyOf(accessors));
    }
    return Map.copyOf(all);
  }

  @Override
  public TemplateModel wrap(Object value) throws TemplateModelException {
    if (value == null || value instanceof TemplateModel) {
      return (TemplateModel) value; // null is "missing"; a model is one of ours or Freemarker's
    }
    if (value instanceof String s) {
      return new SimpleScalar(s);
    }
    if (value instanceof Number n) {
      return new SimpleNumber(n);
    }
    if (value instanceof Boolean b) {
      return b ? TemplateBooleanModel.TRUE : TemplateBooleanModel.FALSE;
    }
    if (value instanceof Enum<?> e) {
      return new SimpleScalar(e.name());
    }
    if (value instanceof List<?> list) {
      return new Sequence(list);
    }
    if (value instanceof Map<?, ?> map) {
      return new Hash(map);
    }
    Map<String, Method> accessors = RECORDS.get(value.getClass());
    if (accessors != null) {
      return new RecordHash(value, accessors);
    }
    // No type name: an <#attempt> could print this message into a rendered file.
    throw new TemplateModelException(
        "a value templates cannot see; they see strings, numbers, booleans, lists, maps and the"
            + " render models");
  }

  private final class Sequence implements TemplateSequenceModel {
    private final List<?> list;

    Sequence(List<?> list) {
      this.list = list;
    }

    @Override
    public TemplateModel get(int index) throws TemplateModelException {
      return index < 0 || index >= list.size() ? null : wrap(list.get(index));
    }

    @Override
    public int size() {
      return list.size();
    }
  }

  private final class Hash implements TemplateHashModelEx2 {
    private final Map<?, ?> map;

    Hash(Map<?, ?> map) {
      this.map = map;
    }

    @Override
    public TemplateModel get(String key) throws TemplateModelException {
      return wrap(map.get(key));
    }

    @Override
    public boolean isEmpty() {
      return map.isEmpty();
    }

    @Override
    public int size() {
      return map.size();
    }

    @Override
    public TemplateCollectionModel keys() {
      return new SimpleCollection(map.keySet(), PlainValues.this);
    }

    @Override
    public TemplateCollectionModel values() {
      return new SimpleCollection(map.values(), PlainValues.this);
    }

    @Override
    public KeyValuePairIterator keyValuePairIterator() {
      Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
      return new KeyValuePairIterator() {
        @Override
        public boolean hasNext() {
          return entries.hasNext();
        }

        @Override
        public KeyValuePair next() throws TemplateModelException {
          Map.Entry<?, ?> e = entries.next();
          TemplateModel key = wrap(e.getKey());
          TemplateModel value = wrap(e.getValue());
          return new KeyValuePair() {
            @Override
            public TemplateModel getKey() {
              return key;
            }

            @Override
            public TemplateModel getValue() {
              return value;
            }
          };
        }
      };
    }
  }

  private final class RecordHash implements TemplateHashModel {
    private final Object record;
    private final Map<String, Method> accessors;

    RecordHash(Object record, Map<String, Method> accessors) {
      this.record = record;
      this.accessors = accessors;
    }

    @Override
    public TemplateModel get(String key) throws TemplateModelException {
      Method accessor = accessors.get(key);
      if (accessor == null) {
        return null; // "missing", as for any undefined name
      }
      try {
        return wrap(accessor.invoke(record));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new TemplateModelException("cannot read " + key, e);
      }
    }

    @Override
    public boolean isEmpty() {
      return accessors.isEmpty();
    }
  }
}
